/**
 * The letter handed to the applicant: decision, principal reasons, improvement plan, how to contest, and the
 * replay record, in the language of their consent. It carries their name (decrypted here, never logged or audited);
 * the audit entry names only the decision.
 */
import {
  DECISION_REASON_TEXTS,
  MODEL_REASON_PREFIX,
  type BilingualText,
  type DecisionReasonCode,
} from '../../../shared/domain/decisions';
import type { Feature, FeatureSpec } from '../../../shared/features';
import type { DecisionView, ScoreView } from '../../../shared/ipc/scoring';
import type { ApplicantService } from '../applicants/applicant-service';
import type { ConsentService } from '../consent/consent-service';
import type { DecisionService } from '../decisions/decision-service';
import { NexisError } from '../errors';
import type { ScoringService } from '../scoring/scoring-service';
import type { Store } from '../store';
import type { SettingsService } from '../system/settings-service';
import { LETTER_TEXTS, type LetterLanguage, type LetterTexts } from './letter-texts';
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
}

export interface ApplicantLetter {
  readonly fileName: string;
  readonly language: LetterLanguage;
  readonly pages: number;
  readonly bytes: Uint8Array;
}

const HORIZON_MONTHS = { months3: 3, months6: 6, months12: 12 } as const;

function formatValue(feature: Feature | undefined, value: number | string | null, missing: string): string {
  if (value === null) {
    return missing;
  }
  if (typeof value === 'string' || feature === undefined || feature.kind === 'categorical') {
    return String(value);
  }
  const digits = feature.kind === 'integer' || feature.max - feature.min >= 100 ? 0 : 3;
  return value.toLocaleString('en-US', { maximumFractionDigits: digits });
}

export class LetterService {
  readonly #d: LetterDeps;

  constructor(deps: LetterDeps) {
    this.#d = deps;
  }

  async applicantLetter(officerId: string, decisionId: string): Promise<ApplicantLetter> {
    const decision = this.#d.decisions.get(decisionId);
    if (decision.supersededBy !== null) {
      throw new NexisError('CONFLICT', `This decision was superseded by ${decision.supersededBy}: print that one.`);
    }
    this.#d.applicants.requireActive(decision.applicantId);
    const organisation = this.#d.settings.organisation();
    if (organisation === null) {
      throw new NexisError('CONFLICT', "An administrator must enter the bank's contact details in Settings first.");
    }
    const receipts = this.#d.consent.receiptsOf(decision.applicantId);
    const language: LetterLanguage = receipts[receipts.length - 1]?.language ?? 'en';
    const name = this.#d.applicants.personal(decision.applicantId, ['fullName'])?.fullName ?? '';
    const score = this.#d.scoring.get(decision.scoreId);
    const inputs = JSON.parse(this.#d.scoring.row(decision.scoreId).inputs) as Record<string, number | string | null>;
    const { bytes, pages } = await this.#render(LETTER_TEXTS[language], language, name, decision, score, inputs, {
      controller: organisation.controllerName,
      address: organisation.address,
      phone: organisation.contactPhone,
      email: organisation.contactEmail,
    });
    this.#d.store.transaction(() =>
      this.#d.store.audit.append({
        actor: officerId,
        action: 'letter.generated',
        subject: decision.applicantId,
        payload: { decisionId, scoreId: decision.scoreId, language, pages },
      }),
    );
    return { fileName: `nexis-letter-${decisionId}.pdf`, language, pages, bytes };
  }

  async #render(
    t: LetterTexts,
    language: LetterLanguage,
    name: string,
    decision: DecisionView,
    score: ScoreView,
    inputs: Record<string, number | string | null>,
    contact: { controller: string; address: string; phone: string; email: string },
  ): Promise<{ bytes: Uint8Array; pages: number }> {
    const spec = this.#d.spec;
    const featureOf = (key: string): Feature | undefined => spec.features.find((f) => f.key === key);
    const local = (text: { en: string; sw?: string | undefined }): string =>
      language === 'sw' ? (text.sw ?? text.en) : text.en;
    // The bank's wording from the policy in force when the score was made, where it has one for the reason.
    const policyTexts = this.#d.policyReasonTexts?.(score.policyVersion) ?? {};
    const modelText = (feature: string, fallback: { en: string; sw?: string | undefined }): string =>
      local(policyTexts[`${MODEL_REASON_PREFIX}${feature}`] ?? fallback);
    const pdf = await PdfWriter.create(t.title, language);
    pdf.paragraph(contact.controller);
    pdf.paragraph(t.date(decision.createdAt.slice(0, 10), decision.decisionId));
    pdf.title(t.title);
    pdf.paragraph(t.greeting(name));
    pdf.paragraph(t.decision[decision.decision]);
    pdf.paragraph(t.score(score.score, score.band));

    if (decision.reasonCodes.length > 0) {
      pdf.heading(t.reasonsHeading);
    }
    for (const code of decision.reasonCodes) {
      if (code.startsWith(MODEL_REASON_PREFIX)) {
        const reason = score.reasons.find((r) => r.feature === code.slice(MODEL_REASON_PREFIX.length));
        pdf.bullet(reason === undefined ? code : modelText(reason.feature, reason.text));
      } else {
        pdf.bullet(local(policyTexts[code] ?? DECISION_REASON_TEXTS[code as DecisionReasonCode]));
      }
    }
    pdf.heading(t.factorsHeading);
    if (score.reasons.length === 0) {
      pdf.paragraph(t.noFactors);
    }
    for (const reason of score.reasons) {
      pdf.bullet(modelText(reason.feature, reason.text));
    }

    pdf.heading(t.planHeading);
    const reachable = score.plan.targets.filter((target) => target.reachable && target.horizon !== null);
    if (reachable.length === 0) {
      pdf.paragraph(t.planNone);
    }
    for (const target of reachable) {
      const months = target.horizon === null ? 12 : HORIZON_MONTHS[target.horizon];
      pdf.paragraph(t.planTarget(target.band, target.minScore, months, target.kind === 'approval'));
      for (const step of target.steps) {
        const feature = featureOf(step.feature);
        pdf.bullet(
          t.planStep(
            feature === undefined ? step.feature : local(feature.label),
            formatValue(feature, step.from, t.missing),
            formatValue(feature, step.to, t.missing),
            t.unit(feature?.unit ?? ''),
            Math.round(step.gainPoints),
          ),
        );
      }
      pdf.space(4);
    }
    pdf.paragraph(t.planValidity(score.plan.validUntil.slice(0, 10)));

    pdf.heading(t.rightsHeading);
    pdf.paragraph(t.rights(decision.decisionId));
    pdf.paragraph(t.contact(contact.controller, contact.address, contact.phone, contact.email));

    pdf.heading(t.replayHeading);
    pdf.paragraph(t.replayIntro, 9);
    const f = t.replayFields;
    pdf.bullet(`${f.decision}: ${decision.decisionId} (${decision.decision}, ${decision.createdAt})`, 9);
    pdf.bullet(`${f.score}: ${score.scoreId} (${score.createdAt})`, 9);
    pdf.bullet(`${f.model}: ${score.modelVersion} ${score.modelHash}`, 9);
    pdf.bullet(`${f.policy}: ${score.policyVersion}`, 9);
    pdf.bullet(`${f.spec}: ${spec.id} ${spec.version} ${score.specHash}`, 9);
    pdf.bullet(`${f.officer}: ${decision.officerId}`, 9);
    pdf.paragraph(`${f.inputs}:`, 9);
    pdf.paragraph(
      Object.entries(inputs)
        .map(([key, value]) => `${key} = ${value === null ? 'null' : String(value)}`)
        .join('; '),
      9,
    );
    return pdf.save();
  }
}
