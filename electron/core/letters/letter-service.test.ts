import { inflateSync } from 'node:zlib';
import { PDFArray, PDFDocument, PDFName, PDFRawStream, type PDFPage } from 'pdf-lib';
import { afterEach, describe, expect, it } from 'vitest';
import { NEXIS_FEATURE_SPEC } from '../../../shared/features';
import { PERSON } from '../testing/intake-fixtures';
import { createScoringHarness, DECLINE_VALUES, type ScoringHarness } from '../scoring/scoring-fixtures';
import { toWinAnsi } from './pdf-writer';
import { LetterService } from './letter-service';

let h: ScoringHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** The text our writer draws: hex strings shown with Tj in the (deflated) page content streams. */
function pageText(page: PDFPage): string {
  const contents = page.node.Contents();
  const streams = contents instanceof PDFArray ? contents.asArray() : contents === undefined ? [] : [contents];
  let text = '';
  for (const ref of streams) {
    const stream = page.doc.context.lookup(ref);
    if (!(stream instanceof PDFRawStream)) {
      continue;
    }
    const filter = stream.dict.get(PDFName.of('Filter'));
    const raw = filter === undefined ? Buffer.from(stream.contents) : inflateSync(stream.contents);
    for (const match of raw.toString('latin1').matchAll(/<([0-9A-Fa-f]*)> Tj/g)) {
      text += `${Buffer.from(match[1] ?? '', 'hex').toString('latin1')}\n`;
    }
  }
  return text;
}

async function letterText(bytes: Uint8Array): Promise<{ pages: number; text: string }> {
  const doc = await PDFDocument.load(bytes);
  return { pages: doc.getPageCount(), text: doc.getPages().map(pageText).join('\n').replace(/\s+/g, ' ') };
}

async function decided(language: 'en' | 'sw') {
  const hh = (h = await createScoringHarness());
  const applicantId = await hh.register(DECLINE_VALUES, language);
  const score = await hh.scoring.score(hh.officerId, applicantId);
  const decision = hh.decisions.record({ id: hh.officerId, role: 'officer' }, score.scoreId, {
    decision: 'decline',
    reasonCodes: [`model:${score.reasons[0]?.feature ?? ''}`, 'affordability-insufficient'],
  });
  return { hh, applicantId, score, decision };
}

describe('applicant letter', () => {
  it('is a PDF in English with the decision, every principal reason, the plan, contest details and replay record', async () => {
    const { hh, score, decision } = await decided('en');
    const letter = await hh.letters.applicantLetter(hh.officerId, decision.decisionId);
    expect(letter.language).toBe('en');
    expect(Buffer.from(letter.bytes.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    const { pages, text } = await letterText(letter.bytes);
    expect(pages).toBe(letter.pages);
    expect(pages).toBeGreaterThanOrEqual(1);
    expect(text).toContain(`Dear ${PERSON.fullName},`);
    expect(text).toContain('We are unable to approve your loan application');
    for (const reason of score.reasons) {
      expect(text).toContain(reason.text.en);
    }
    expect(text).toContain('The repayments would be too high for your income.');
    const target = score.plan.targets.find((t) => t.reachable);
    const label = NEXIS_FEATURE_SPEC.features.find((f) => f.key === target?.steps[0]?.feature)?.label.en ?? 'none';
    expect(text).toContain(label);
    expect(text).toContain('contest');
    expect(text).toContain('Umoja Community Bank Ltd');
    expect(text).toContain(decision.decisionId);
    expect(text).toContain(score.modelHash);
    expect(text).toContain('default-1');
    expect(text).toContain('debtToIncome = 0.6');
  });

  it('follows the consent language (Swahili) and audits the letter without personal data', async () => {
    const { hh, applicantId, score, decision } = await decided('sw');
    const letter = await hh.letters.applicantLetter(hh.officerId, decision.decisionId);
    expect(letter.language).toBe('sw');
    const { text } = await letterText(letter.bytes);
    expect(text).toContain(`Mpendwa ${PERSON.fullName},`);
    expect(text).toContain('Hatuwezi kukubali ombi lako la mkopo');
    for (const reason of score.reasons) {
      expect(text).toContain(toWinAnsi(reason.text.sw ?? 'missing translation'));
    }
    expect(text).toContain('jinsi ya kupinga');
    const audit = hh.t.ws.store.sqlite
      .prepare<[], { subject: string; payload: string }>(
        "SELECT subject, payload FROM audit_log WHERE action = 'letter.generated'",
      )
      .all();
    expect(audit).toEqual([
      {
        subject: applicantId,
        payload: JSON.stringify({
          decisionId: decision.decisionId,
          language: 'sw',
          pages: letter.pages,
          scoreId: score.scoreId,
        }),
      },
    ]);
    const everything = JSON.stringify(hh.t.ws.store.sqlite.prepare('SELECT * FROM audit_log').all());
    expect(everything).not.toContain('Wanjiru');
  });

  it('refuses a superseded decision', async () => {
    const { hh, decision } = await decided('en');
    hh.decisions.correct({ id: hh.officerId, role: 'officer' }, decision.decisionId, {
      decision: 'decline',
      reasonCodes: ['income-not-verified'],
    });
    await expect(hh.letters.applicantLetter(hh.officerId, decision.decisionId)).rejects.toThrow(/superseded/);
  });

  it('transliterates what the standard PDF fonts cannot show instead of failing', () => {
    expect(toWinAnsi('score ≥ 560 → band C – Łukasz Nguyễn')).toBe('score >= 560 -> band C - ?ukasz Nguyen');
  });

  it("uses the bank's reason texts from the policy the score was decided under, and the built-in ones otherwise", async () => {
    const { hh, score, decision } = await decided('en');
    const feature = score.reasons[0]?.feature ?? '';
    const asked: string[] = [];
    const withPolicy = new LetterService({
      store: hh.t.ws.store,
      applicants: hh.t.ws.applicants,
      consent: hh.t.ws.consent,
      settings: hh.t.ws.settings,
      decisions: hh.decisions,
      scoring: hh.scoring,
      spec: NEXIS_FEATURE_SPEC,
      policyReasonTexts: (version) => {
        asked.push(version);
        return {
          [`model:${feature}`]: { en: 'Our wording for the first reason.', sw: 'Maneno yetu.' },
          'affordability-insufficient': { en: 'Our wording on affordability.', sw: 'Maneno yetu ya uwezo.' },
        };
      },
    });
    const { text } = await letterText((await withPolicy.applicantLetter(hh.officerId, decision.decisionId)).bytes);
    expect(asked).toEqual([score.policyVersion]);
    expect(text).toContain('Our wording for the first reason.');
    expect(text).toContain('Our wording on affordability.');
    expect(text).not.toContain('The repayments would be too high for your income.');
    expect(text).toContain(score.reasons[1]?.text.en ?? '');
  });
});
