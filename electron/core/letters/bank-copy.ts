/**
 * The bank's copy of a decision letter: the record with which the score can be replayed exactly (decision and score
 * ids, model version and SHA-256, policy version, specification hash, officer id, the input values) and which letter
 * was issued. It is for the bank's file, an auditor or a regulator, so it is in English and carries the applicant id,
 * not the applicant's name; the applicant's letter carries none of this.
 */
import type { FeatureSpec } from '../../../shared/features';
import type { DecisionView, ScoreView } from '../../../shared/ipc/scoring';
import type { LetterLanguage } from './letter-texts';
import { PdfWriter } from './pdf-writer';

export interface BankCopyFacts {
  readonly controller: string;
  readonly language: LetterLanguage;
  readonly decision: DecisionView;
  readonly score: ScoreView;
  readonly spec: FeatureSpec;
  readonly inputs: Readonly<Record<string, number | string | null>>;
}

const LANGUAGE_NAMES: Record<LetterLanguage, string> = { en: 'English', sw: 'Kiswahili' };

export function renderBankCopy(f: BankCopyFacts): Promise<{ bytes: Uint8Array; pages: number }> {
  const { decision, score, spec } = f;
  const pdf = PdfWriter.create(`Bank copy: decision ${decision.decisionId}`, 'en');
  pdf.letterhead(f.controller, 'Bank copy for the file. Not for the applicant.');
  pdf.title('Decision record for an independent review (replay)');
  pdf.paragraph(
    'With these details the score can be recalculated exactly and checked by the bank, an auditor or a regulator ' +
      '(npm run nexis -- replay <decision id>).',
  );
  pdf.heading('Letter issued');
  pdf.bullet(`Applicant id: ${decision.applicantId}`);
  pdf.bullet(`Letter language: ${LANGUAGE_NAMES[f.language]}; letter reference: ${decision.decisionId}`);
  pdf.heading('Decision and score');
  pdf.bullet(`Decision: ${decision.decisionId} (${decision.decision}, ${decision.kind}, ${decision.createdAt})`);
  pdf.bullet(`Policy outcome: ${decision.policyOutcome}; reason codes: ${decision.reasonCodes.join(', ') || 'none'}`);
  if (decision.override !== null) {
    pdf.bullet(`Override: ${decision.override.reason}${decision.override.note === null ? '' : ' (note on file)'}`);
  }
  pdf.bullet(`Score record: ${score.scoreId} (${score.createdAt}); score ${score.score}, band ${score.band}`);
  pdf.bullet(`Model (version and SHA-256): ${score.modelVersion} ${score.modelHash}`);
  pdf.bullet(`Policy version: ${score.policyVersion}`);
  pdf.bullet(`Data specification: ${spec.id} ${spec.version} ${score.specHash}`);
  pdf.bullet(`Officer id: ${decision.officerId}`);
  pdf.heading('Input values used');
  for (const [key, value] of Object.entries(f.inputs)) {
    pdf.bullet(`${key} = ${value === null ? 'null' : String(value)}`, 9);
  }
  return pdf.save();
}
