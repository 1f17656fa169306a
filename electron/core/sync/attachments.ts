/**
 * What travels with an audit entry to the central API (docs/sync-protocol.md §3). Read-only, computed when the entry
 * is pushed, so an applicant erased or withdrawn since then sends nothing personal.
 *
 * The line drawn for personal data: the lender's own pseudonymous records (consent receipts, score outcome and model
 * identity, a challenger's shadow score, decisions with their reason codes) always go; the applicant's personal fields, behavioural values, the
 * per-feature explanation (which carries those values) and officers' free-text notes go only while the applicant's
 * `central-sync` purpose is granted.
 */
import type { Attachment } from '../../../shared/sync/push';
import type { ApplicantService } from '../applicants/applicant-service';
import type { AuditRecord } from '../audit/audit-log';
import type { BehaviourService } from '../behaviour/behaviour-service';
import type { ConsentService } from '../consent/consent-service';
import type { DecisionService } from '../decisions/decision-service';
import { isNexisError } from '../errors';
import type { ScoringService } from '../scoring/scoring-service';
import type { AttachmentFor } from './types';

export interface AttachmentSources {
  readonly consent: ConsentService;
  readonly applicants: ApplicantService;
  readonly behaviour: BehaviourService;
  readonly scoring: ScoringService;
  readonly decisions: DecisionService;
}

type Body = Attachment['body'];

/**
 * Lone UTF-16 surrogates and NUL: a JavaScript string can hold them, the central database (jsonb, text) cannot, and
 * a push refused for them would be refused again on every retry. Attachments are outside the hash, so they travel
 * with U+FFFD in their place.
 */
// eslint-disable-next-line no-control-regex -- NUL is exactly what must be matched here.
const UNSTORABLE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|\u0000/g;

/** Drops `undefined` and anything else JSON cannot carry, so the body passes the push schema and can be stored. */
export function json(value: unknown): Body {
  return JSON.parse(
    JSON.stringify(value, (_key, inner: unknown) =>
      typeof inner === 'string' ? inner.replace(UNSTORABLE, '\uFFFD') : inner,
    ),
  ) as Body;
}

function payloadOf(entry: AuditRecord): Record<string, unknown> {
  const parsed: unknown = JSON.parse(entry.payload);
  return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
}

function stringField(payload: Record<string, unknown>, key: string): string | null {
  const value = payload[key];
  return typeof value === 'string' ? value : null;
}

export function createAttachmentFor(s: AttachmentSources): AttachmentFor {
  const shared = (applicantId: string): boolean => {
    try {
      return s.applicants.get(applicantId).status === 'active' && s.consent.isActive(applicantId, 'central-sync');
    } catch {
      return false;
    }
  };

  const build = (entry: AuditRecord): Attachment | null => {
    const applicantId = entry.subject;
    if (applicantId === null) {
      return null;
    }
    const payload = payloadOf(entry);
    switch (entry.action) {
      case 'consent.captured': {
        const receiptId = stringField(payload, 'receiptId');
        return receiptId === null ? null : { kind: 'consent.receipt', body: json(s.consent.receipt(receiptId)) };
      }
      case 'applicant.registered': {
        if (!shared(applicantId)) {
          return null;
        }
        const personal = s.applicants.personal(applicantId);
        return personal === null ? null : { kind: 'applicant.record', body: json({ applicantId, ...personal }) };
      }
      case 'behaviour.captured':
      case 'behaviour.imported': {
        const recordId = stringField(payload, 'recordId');
        if (recordId === null || !shared(applicantId)) {
          return null;
        }
        const record = s.behaviour.byId(applicantId, recordId);
        return record === null ? null : { kind: 'behaviour.summary', body: json({ applicantId, ...record }) };
      }
      case 'applicant.scored': {
        const scoreId = stringField(payload, 'scoreId');
        if (scoreId === null) {
          return null;
        }
        const score = s.scoring.get(scoreId);
        const challenger = s.scoring.challengerOf(scoreId);
        const outcome = {
          scoreId: score.scoreId,
          applicantId: score.applicantId,
          // Which behavioural record was scored (pseudonymous): the centre's retraining export joins on it.
          behaviourRecordId: score.behaviourRecordId,
          createdAt: score.createdAt,
          officerId: score.officerId,
          score: score.score,
          band: score.band,
          outcome: score.outcome,
          probabilityOfDefault: score.probabilityOfDefault,
          reasons: score.reasons.map((r) => ({ feature: r.feature, pointsLost: r.pointsLost })),
          modelHash: score.modelHash,
          modelVersion: score.modelVersion,
          policyVersion: score.policyVersion,
          specHash: score.specHash,
          // The challenger's shadow score (model identity and figures, nothing about the applicant): always sent.
          ...(challenger === null ? {} : { challenger }),
        };
        const body = shared(applicantId)
          ? { ...outcome, contributions: score.contributions, plan: score.plan }
          : outcome;
        return { kind: 'score.result', body: json(body) };
      }
      case 'decision.recorded':
      case 'decision.reviewed':
      case 'decision.corrected':
      case 'decision.override_approved':
      case 'decision.override_rejected': {
        const decisionId = stringField(payload, 'decisionId');
        if (decisionId === null) {
          return null;
        }
        const decision = s.decisions.get(decisionId);
        const override =
          decision.override === null
            ? null
            : { reason: decision.override.reason, note: shared(applicantId) ? decision.override.note : null };
        // The written reason (a review's or a four-eyes verdict's note) is free text too.
        const note = shared(applicantId) ? decision.note : null;
        return { kind: 'decision.record', body: json({ ...decision, override, note }) };
      }
      default:
        return null;
    }
  };

  return (entry) => {
    try {
      return build(entry);
    } catch (error) {
      // Gone since (an unknown record): the entry still travels, without an attachment. Anything else (a storage
      // error) fails this push, which is retried: an attachment is never dropped for a passing problem.
      if (isNexisError(error) && error.code === 'NOT_FOUND') {
        return null;
      }
      throw error;
    }
  };
}
