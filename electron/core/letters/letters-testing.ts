/**
 * Test helpers for letters: the text of a produced PDF as a real extractor (PDF.js, as in Firefox and many viewers)
 * reads it back through the embedded fonts' character maps, and letters decided for a given name and outcome.
 */
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { TextItem } from 'pdfjs-dist/types/src/display/api';
import type { Decision } from '../../../shared/domain/decisions';
import { APPROVE_VALUES, DECLINE_VALUES, REFER_VALUES, type ScoringHarness } from '../scoring/scoring-fixtures';
import { consentFor, PERSON } from '../testing/intake-fixtures';

export interface PdfText {
  readonly pages: number;
  /** Every line of every page, in reading order as PDF.js gives it. */
  readonly lines: readonly string[];
  readonly text: string;
}

export async function pdfText(bytes: Uint8Array): Promise<PdfText> {
  const doc = await getDocument({ data: bytes.slice(), useSystemFonts: false, isEvalSupported: false }).promise;
  const lines: string[] = [];
  for (let n = 1; n <= doc.numPages; n += 1) {
    const content = await (await doc.getPage(n)).getTextContent();
    let line = '';
    for (const item of content.items) {
      if (!('str' in item)) {
        continue;
      }
      line += (item as TextItem).str;
      if ((item as TextItem).hasEOL) {
        lines.push(line);
        line = '';
      }
    }
    if (line !== '') {
      lines.push(line);
    }
  }
  const pages = doc.numPages;
  await doc.destroy();
  return { pages, lines, text: lines.join('\n') };
}

const VALUES: Record<Decision, Readonly<Record<string, number | string | null>>> = {
  approve: APPROVE_VALUES,
  refer: REFER_VALUES,
  decline: DECLINE_VALUES,
};

/** Registers `fullName`, scores them into `outcome` (the policy's own outcome) and records that decision. */
export async function decidedFor(hh: ScoringHarness, outcome: Decision, language: 'en' | 'sw', fullName: string) {
  const ws = hh.t.ws;
  const { applicantId } = ws.applicants.register(hh.officerId, { ...PERSON, fullName }, consentFor(ws, {}, language));
  ws.behaviour.saveForm(hh.officerId, applicantId, { ...VALUES[outcome] });
  const score = await hh.scoring.score(hh.officerId, applicantId);
  if (score.outcome !== outcome) {
    throw new Error(`The ${outcome} fixture scored ${score.outcome}`);
  }
  const first = `model:${score.reasons[0]?.feature ?? ''}`;
  const reasonCodes =
    outcome === 'approve' ? ['meets-policy'] : outcome === 'refer' ? [first] : [first, 'affordability-insufficient'];
  const decision = hh.decisions.record({ id: hh.officerId, role: 'officer' }, score.scoreId, {
    decision: outcome,
    reasonCodes,
  });
  return { applicantId, score, decision };
}
