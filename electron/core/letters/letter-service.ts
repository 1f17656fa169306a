/**
 * The letter handed to the applicant: the bank's letterhead, their name, the decision, reasons, improvement plan and
 * rights, worded for the outcome and wholly in the language of their consent. It carries their name (decrypted here,
 * never logged or audited); the audit entry names only the decision. The replay record goes into the bank's copy
 * (bankCopy, bank-copy.ts), never into what the applicant is handed.
 */
import {
  DECISION_REASON_TEXTS,
  MODEL_REASON_PREFIX,
  type BilingualText,
  type DecisionReasonCode,
} from '../../../shared/domain/decisions';
import type { Feature, FeatureSpec } from '../../../shared/features';
import { isPercentFeature } from '../../../shared/features/input';
import type { DecisionView, ScoreView } from '../../../shared/ipc/scoring';
import type { ApplicantService } from '../applicants/applicant-service';
import type { ConsentService } from '../consent/consent-service';
import type { DecisionService } from '../decisions/decision-service';
import { NexisError } from '../errors';
import type { ScoringService } from '../scoring/scoring-service';
import type { Store } from '../store';
import type { SettingsService } from '../system/settings-service';
import { renderBankCopy } from './bank-copy';
import { LETTER_TEXTS, letterDate, type LetterLanguage, type LetterTexts } from './letter-texts';
import { letterFonts } from './fonts';
import { PdfWriter } from './pdf-writer';

export interface LetterDeps {
  readonly store: Store;
  readonly applicants: ApplicantService;
  readonly consent: ConsentService;
  readonly settings: SettingsService;
  readonly decisions: DecisionService;
  readonly scoring: ScoringService;
  /** The specification the stored inputs follow (labels and units of the plan). */
  readonly spec: FeatureSpec;
  /**
   * Reason texts of the central policy release a score was decided under (by its recorded policy version), keyed by
   * decision reason code or `model:<feature>`; null when none (the package's and the app's own texts apply).
   */
  readonly policyReasonTexts?: (policyVersion: string) => Readonly<Record<string, BilingualText>> | null;
  /** Folder of the letter fonts (resources/fonts; packaged: the app's resources folder). */
  readonly fontsDir?: string;
}

export interface ApplicantLetter {
  readonly fileName: string;
  /** `applicant`: the letter to hand over; `bank`: the bank's copy with the replay record. */
  readonly copy: 'applicant' | 'bank';
  readonly language: LetterLanguage;
  readonly pages: number;
  readonly bytes: Uint8Array;
}

const HORIZON_MONTHS = { months3: 3, months6: 6, months12: 12 } as const;

function formatValue(
  feature: Feature | undefined,
  value: number | string | null,
  missing: string,
  locale: string,
): string {
  if (value === null) {
    return missing;
  }
  if (typeof value === 'string' || feature === undefined || feature.kind === 'categorical') {
    return String(value);
  }
  // Shares of income read as percentages, as the officer entered them on the form.
  if (isPercentFeature(feature)) {
    return `${(value * 100).toLocaleString(locale, { maximumFractionDigits: 1 })} %`;
  }
  const digits = feature.kind === 'integer' || feature.max - feature.min >= 100 ? 0 : 3;
  return value.toLocaleString(locale, { maximumFractionDigits: digits });
}

/** Shillings as a person says them: to KES 10 below 10,000, to KES 100 above. */
function formatKes(amount: number, locale: string): string {
  const step = Math.abs(amount) < 10_000 ? 10 : 100;
  return `KES ${(Math.round(amount / step) * step).toLocaleString(locale, { maximumFractionDigits: 0 })}`;
}

/** A plan step: the feature in its own units, and what it means in shillings a month where the plan says. */
function planStepText(t: LetterTexts, label: string, feature: Feature | undefined, step: PlanStepView): string {
  const unit = feature !== undefined && isPercentFeature(feature) ? '' : t.unit(feature?.unit ?? '');
  const text = t.planStep(
    label,
    formatValue(feature, step.from, t.missing, t.locale),
    formatValue(feature, step.to, t.missing, t.locale),
    unit,
    Math.round(step.gainPoints),
  );
  const money = step.money;
  if (money === null || money === undefined) {
    return text;
  }
  const words = t.planMoney[money.measure](
    formatKes(Math.abs(money.to - money.from), t.locale),
    formatKes(money.from, t.locale),
    formatKes(money.to, t.locale),
  );
  return `${text}: ${words}`;
}

type PlanStepView = ScoreView['plan']['targets'][number]['steps'][number];

export class LetterService {
  readonly #d: LetterDeps;

  constructor(deps: LetterDeps) {
    this.#d = deps;
  }

  async applicantLetter(officerId: string, decisionId: string): Promise<ApplicantLetter> {
    const c = this.#context(decisionId);
    const name = this.#d.applicants.personal(c.decision.applicantId, ['fullName'])?.fullName ?? '';
    const { bytes, pages } = await this.#render(LETTER_TEXTS[c.language], name, c);
    this.#audit(officerId, 'letter.generated', c, pages);
    return { fileName: `nexis-letter-${decisionId}.pdf`, copy: 'applicant', language: c.language, pages, bytes };
  }

  /** The bank's copy of the same letter: the replay record, for the file (no personal data). */
  async bankCopy(officerId: string, decisionId: string): Promise<ApplicantLetter> {
    const c = this.#context(decisionId);
    const { bytes, pages } = await renderBankCopy({
      controller: c.contact.controller,
      language: c.language,
      decision: c.decision,
      score: c.score,
      spec: this.#d.spec,
      inputs: c.inputs,
    });
    this.#audit(officerId, 'letter.bankCopy', c, pages);
    return { fileName: `nexis-bank-copy-${decisionId}.pdf`, copy: 'bank', language: c.language, pages, bytes };
  }

  #context(decisionId: string): LetterContext {
    const decision = this.#d.decisions.get(decisionId);
    if (decision.supersededBy !== null) {
      throw new NexisError('CONFLICT', `This decision was superseded by ${decision.supersededBy}: print that one.`);
    }
    // A pending override is no approval yet: no letter until a second supervisor approves or rejects it.
    if (decision.awaitingApproval) {
      throw new NexisError(
        'CONFLICT',
        'This override waits for a second supervisor’s approval: print the letter once it is approved or rejected.',
      );
    }
    this.#d.applicants.requireActive(decision.applicantId);
    const organisation = this.#d.settings.organisation();
    if (organisation === null) {
      throw new NexisError('CONFLICT', "An administrator must enter the bank's contact details in Settings first.");
    }
    const receipts = this.#d.consent.receiptsOf(decision.applicantId);
    return {
      decision,
      language: receipts[receipts.length - 1]?.language ?? 'en',
      score: this.#d.scoring.get(decision.scoreId),
      inputs: JSON.parse(this.#d.scoring.row(decision.scoreId).inputs) as Record<string, number | string | null>,
      contact: {
        controller: organisation.controllerName,
        address: organisation.address,
        phone: organisation.contactPhone,
        email: organisation.contactEmail,
      },
    };
  }

  #audit(officerId: string, action: 'letter.generated' | 'letter.bankCopy', c: LetterContext, pages: number): void {
    const { decisionId, scoreId, applicantId } = c.decision;
    this.#d.store.transaction(() =>
      this.#d.store.audit.append({
        actor: officerId,
        action,
        subject: applicantId,
        payload: { decisionId, scoreId, language: c.language, pages },
      }),
    );
  }

  async #render(t: LetterTexts, name: string, c: LetterContext): Promise<{ bytes: Uint8Array; pages: number }> {
    const { decision, score, language, contact } = c;
    const outcome = decision.decision;
    const spec = this.#d.spec;
    const featureOf = (key: string): Feature | undefined => spec.features.find((f) => f.key === key);
    const local = (text: { en: string; sw?: string | undefined }): string =>
      language === 'sw' ? (text.sw ?? text.en) : text.en;
    // The bank's wording from the policy in force when the score was made, where it has one for the reason.
    const policyTexts = this.#d.policyReasonTexts?.(score.policyVersion) ?? {};
    const modelText = (feature: string, fallback: { en: string; sw?: string | undefined }): string =>
      local(policyTexts[`${MODEL_REASON_PREFIX}${feature}`] ?? fallback);
    const pdf = PdfWriter.create(t.title[outcome], language, letterFonts(this.#d.fontsDir));
    pdf.letterhead(contact.controller, `${contact.address} · ${contact.phone} · ${contact.email}`);
    pdf.paragraph(t.date(letterDate(t, decision.createdAt), decision.decisionId));
    pdf.title(t.title[outcome]);
    pdf.paragraph(name.trim() === '' ? t.greetingNoName : t.greeting(name));
    pdf.paragraph(t.decision[outcome]);
    pdf.paragraph(t.score(score.score, score.band));

    if (decision.reasonCodes.length > 0) {
      pdf.heading(t.reasonsHeading[outcome]);
    }
    for (const code of decision.reasonCodes) {
      if (code.startsWith(MODEL_REASON_PREFIX)) {
        const key = code.slice(MODEL_REASON_PREFIX.length);
        const reason = score.reasons.find((r) => r.feature === key);
        const feature = featureOf(key);
        // A cited reason always has a text the applicant can read: the score's, else the specification's.
        const text = reason?.text ?? feature?.reasonText ?? feature?.label;
        if (text !== undefined) {
          pdf.bullet(modelText(key, text));
        }
      } else {
        pdf.bullet(local(policyTexts[code] ?? DECISION_REASON_TEXTS[code as DecisionReasonCode]));
      }
    }
    pdf.heading(t.factorsHeading[outcome]);
    if (score.reasons.length === 0) {
      pdf.paragraph(t.noFactors[outcome]);
    }
    for (const reason of score.reasons) {
      pdf.bullet(modelText(reason.feature, reason.text));
    }

    pdf.heading(t.planHeading[outcome]);
    const reachable = score.plan.targets.filter((target) => target.reachable && target.horizon !== null);
    if (reachable.length === 0) {
      pdf.paragraph(t.planNone[outcome]);
    }
    for (const target of reachable) {
      const months = target.horizon === null ? 12 : HORIZON_MONTHS[target.horizon];
      pdf.paragraph(t.planTarget(target.band, target.minScore, months, target.kind === 'approval'));
      for (const step of target.steps) {
        const feature = featureOf(step.feature);
        pdf.bullet(planStepText(t, feature === undefined ? step.feature : local(feature.label), feature, step));
      }
      pdf.space(4);
    }
    if (reachable.length > 0) {
      pdf.paragraph(t.planValidity(letterDate(t, score.plan.validUntil)));
    }

    pdf.heading(t.rightsHeading[outcome]);
    pdf.paragraph(t.rights[outcome](decision.decisionId));
    pdf.paragraph(t.contact(contact.controller, contact.address, contact.phone, contact.email));
    pdf.space(6);
    pdf.paragraph(t.closing);
    pdf.paragraph(contact.controller);
    return pdf.save();
  }
}

interface LetterContext {
  readonly decision: DecisionView;
  readonly language: LetterLanguage;
  readonly score: ScoreView;
  readonly inputs: Record<string, number | string | null>;
  readonly contact: { controller: string; address: string; phone: string; email: string };
}
