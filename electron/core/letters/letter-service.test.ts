import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Decision } from '../../../shared/domain/decisions';
import { NEXIS_FEATURE_SPEC } from '../../../shared/features';
import { createScoringHarness, type ScoringHarness } from '../scoring/scoring-fixtures';
import { ORGANISATION, PERSON } from '../testing/intake-fixtures';
import { LetterService } from './letter-service';
import { decidedFor, pdfText } from './letters-testing';

/** Names as applicants write them: typographic apostrophes, diacritics, and Arabic script. */
const NAMES = ['Wanjiru Ng’ang’a', 'Zoë Çelik', 'فاطمة الزهراء عبد الله', 'يوسف بن زيد'] as const;

/** English words that must not appear in a Kiswahili letter (the bank's own name and address aside). */
const ENGLISH = [
  'decline',
  'declined',
  'approve',
  'approved',
  'refer',
  'referred',
  'score',
  'points',
  'band',
  'reason',
  'reasons',
  'model',
  'policy',
  'officer',
  'replay',
  'months',
  'ratio',
  'share',
  'bills',
  'days',
  'loans',
  'given',
  'dear',
  'date',
  'reference',
  'the',
  'and',
  'your',
  'loan',
];

/** Heading wording that belongs to one outcome only. */
const WRONG_FOR: Record<Decision, readonly string[]> = {
  approve: [
    'lowered your score',
    'yaliyopunguza alama',
    'unable to approve',
    'Hatuwezi kukubali',
    'contest',
    'kupinga',
  ],
  refer: ['has been approved', 'limekubaliwa', 'unable to approve', 'Hatuwezi kukubali'],
  decline: ['has been approved', 'limekubaliwa', 'supervisor for a second review', 'kwa ukaguzi wa pili'],
};
const RIGHT_FOR: Record<Decision, Record<'en' | 'sw', readonly string[]>> = {
  approve: {
    en: ['Your loan application has been approved', 'What could raise your score further', 'Your rights'],
    sw: ['Ombi lako la mkopo limekubaliwa', 'Kinachoweza kupandisha alama yako zaidi', 'Haki zako'],
  },
  refer: {
    en: ['Your loan application is being reviewed', 'The main factors that lowered your score', 'What happens next'],
    sw: ['Ombi lako la mkopo linakaguliwa', 'Mambo makuu yaliyopunguza alama yako', 'Kinachofuata'],
  },
  decline: {
    en: ['We are unable to approve', 'The main factors that lowered your score', 'how to contest this decision'],
    sw: ['Hatuwezi kukubali ombi lako', 'Mambo makuu yaliyopunguza alama yako', 'jinsi ya kupinga uamuzi huu'],
  },
};

function withoutBankDetails(text: string): string {
  let out = text;
  for (const value of [ORGANISATION.controllerName, ORGANISATION.address, ORGANISATION.contactEmail]) {
    out = out.split(value).join(' ');
  }
  return out;
}

describe('applicant letters for every outcome, in English and Kiswahili, for names in any script', () => {
  const harnesses: ScoringHarness[] = [];
  afterAll(async () => {
    for (const hh of harnesses) {
      await hh.close();
    }
  });

  for (const outcome of ['approve', 'refer', 'decline'] as const) {
    describe(outcome, () => {
      let hh: ScoringHarness;
      beforeAll(async () => {
        hh = await createScoringHarness();
        harnesses.push(hh);
      });

      for (const language of ['en', 'sw'] as const) {
        it(`${language}: names intact, wording for the outcome, one page, no replay record`, async () => {
          for (const name of NAMES) {
            const { score, decision } = await decidedFor(hh, outcome, language, name);
            const letter = await hh.letters.applicantLetter(hh.officerId, decision.decisionId);
            expect(letter.copy).toBe('applicant');
            expect(letter.language).toBe(language);
            const pdf = await pdfText(letter.bytes);
            expect(pdf.pages).toBe(1);
            expect(letter.pages).toBe(1);
            // The bank's letterhead and the applicant's name, exactly as typed, in the greeting.
            expect(pdf.lines[0]).toBe(ORGANISATION.controllerName);
            expect(pdf.lines).toContain(`${language === 'sw' ? 'Mpendwa' : 'Dear'} ${name},`);
            expect(pdf.text).not.toMatch(/[?\uFFFD]/);
            for (const wording of RIGHT_FOR[outcome][language]) {
              expect(pdf.text).toContain(wording);
            }
            for (const wording of WRONG_FOR[outcome]) {
              expect(pdf.text).not.toContain(wording);
            }
            // The replay record is the bank's: no hashes, ids of records, input keys or ISO timestamps here.
            expect(pdf.text).not.toContain(score.modelHash);
            expect(pdf.text).not.toContain(score.specHash);
            expect(pdf.text).not.toContain(score.scoreId);
            expect(pdf.text).not.toContain(hh.officerId);
            expect(pdf.text).not.toMatch(/SHA-256|\d{4}-\d{2}-\d{2}T\d{2}|[a-z][A-Za-z]+ = /);
            expect(pdf.text).toContain(decision.decisionId);
            if (language === 'sw') {
              const words =
                withoutBankDetails(pdf.text)
                  .toLowerCase()
                  .match(/\p{L}+/gu) ?? [];
              expect(words.filter((word) => ENGLISH.includes(word))).toEqual([]);
            }
          }
        });
      }
    });
  }
});

describe('applicant letter', () => {
  let hh: ScoringHarness | undefined;
  afterEach(async () => {
    await hh?.close();
    hh = undefined;
  });

  it('carries every principal reason, the cited reasons, the plan and the contest details (English)', async () => {
    hh = await createScoringHarness();
    const { score, decision } = await decidedFor(hh, 'decline', 'en', PERSON.fullName);
    const { text } = await pdfText((await hh.letters.applicantLetter(hh.officerId, decision.decisionId)).bytes);
    for (const reason of score.reasons) {
      expect(text).toContain(reason.text.en);
    }
    expect(text).toContain('The repayments would be too high for your income.');
    const target = score.plan.targets.find((t) => t.reachable);
    const label = NEXIS_FEATURE_SPEC.features.find((f) => f.key === target?.steps[0]?.feature)?.label.en ?? 'none';
    expect(text).toContain(label);
    // Plan steps as the applicant thinks: shares in percent, and what they mean in shillings a month.
    const flowing = text.replace(/\s+/g, ' ');
    expect(flowing).toMatch(/Savings rate: from 2 % to [\d.]+ %/);
    expect(flowing).toMatch(/save about KES [\d,]+ more a month \(KES [\d,]+ → KES [\d,]+ a month\)/);
    expect(flowing).not.toMatch(/from 0\.\d+ to 0\.\d+ (share|ratio)/);
    expect(text).toContain('contact us within 30 days');
    expect(text).toContain(ORGANISATION.contactEmail);
  });

  it('the Kiswahili letter gives every reason in Kiswahili and is audited without personal data', async () => {
    hh = await createScoringHarness();
    const { applicantId, score, decision } = await decidedFor(hh, 'decline', 'sw', PERSON.fullName);
    const letter = await hh.letters.applicantLetter(hh.officerId, decision.decisionId);
    const { text } = await pdfText(letter.bytes);
    for (const reason of score.reasons) {
      expect(text).toContain(reason.text.sw);
      expect(text).not.toContain(reason.text.en);
    }
    expect(text).toContain('Marejesho yangekuwa makubwa mno kwa mapato yako.');
    const audit = hh.t.ws.store.sqlite
      .prepare<[], { subject: string; payload: string }>(
        "SELECT subject, payload FROM audit_log WHERE action = 'letter.generated'",
      )
      .all()
      .map((row) => ({ subject: row.subject, payload: JSON.parse(row.payload) as unknown }));
    expect(audit).toEqual([
      {
        subject: applicantId,
        payload: { decisionId: decision.decisionId, scoreId: score.scoreId, language: 'sw', pages: 1 },
      },
    ]);
    expect(JSON.stringify(hh.t.ws.store.sqlite.prepare('SELECT * FROM audit_log').all())).not.toContain('Wanjiru');
  });

  it("the bank's copy carries the replay record and no personal data", async () => {
    hh = await createScoringHarness();
    const { applicantId, score, decision } = await decidedFor(hh, 'decline', 'sw', 'فاطمة الزهراء عبد الله');
    const copy = await hh.letters.bankCopy(hh.officerId, decision.decisionId);
    expect(copy.copy).toBe('bank');
    expect(copy.fileName).toBe(`nexis-bank-copy-${decision.decisionId}.pdf`);
    const { text, lines } = await pdfText(copy.bytes);
    expect(lines[0]).toBe(ORGANISATION.controllerName);
    expect(text).toContain('Not for the applicant');
    for (const fact of [decision.decisionId, score.scoreId, score.modelHash, score.specHash, score.policyVersion]) {
      expect(text).toContain(fact);
    }
    expect(text).toContain(hh.officerId);
    expect(text).toContain(applicantId);
    expect(text).toContain('Kiswahili');
    expect(text).toContain('debtToIncome = 0.6');
    expect(text).not.toContain('فاطمة');
    const audited = hh.t.ws.store.sqlite
      .prepare<[], { n: number }>("SELECT count(*) AS n FROM audit_log WHERE action = 'letter.bankCopy'")
      .get();
    expect(audited?.n).toBe(1);
  });

  it('refuses a superseded decision, for the applicant and for the bank', async () => {
    hh = await createScoringHarness();
    const { decision } = await decidedFor(hh, 'decline', 'en', PERSON.fullName);
    hh.decisions.correct({ id: hh.officerId, role: 'officer' }, decision.decisionId, {
      decision: 'decline',
      reasonCodes: ['income-not-verified'],
    });
    await expect(hh.letters.applicantLetter(hh.officerId, decision.decisionId)).rejects.toThrow(/superseded/);
    await expect(hh.letters.bankCopy(hh.officerId, decision.decisionId)).rejects.toThrow(/superseded/);
  });

  it("uses the bank's reason texts from the policy the score was decided under, and the built-in ones otherwise", async () => {
    const h = (hh = await createScoringHarness());
    const { score, decision } = await decidedFor(h, 'decline', 'en', PERSON.fullName);
    const feature = score.reasons[0]?.feature ?? '';
    const asked: string[] = [];
    const withPolicy = new LetterService({
      store: h.t.ws.store,
      applicants: h.t.ws.applicants,
      consent: h.t.ws.consent,
      settings: h.t.ws.settings,
      decisions: h.decisions,
      scoring: h.scoring,
      spec: NEXIS_FEATURE_SPEC,
      policyReasonTexts: (version) => {
        asked.push(version);
        return {
          [`model:${feature}`]: { en: 'Our wording for the first reason.', sw: 'Maneno yetu.' },
          'affordability-insufficient': { en: 'Our wording on affordability.', sw: 'Maneno yetu ya uwezo.' },
        };
      },
    });
    const { text } = await pdfText((await withPolicy.applicantLetter(h.officerId, decision.decisionId)).bytes);
    expect(asked).toEqual([score.policyVersion]);
    expect(text).toContain('Our wording for the first reason.');
    expect(text).toContain('Our wording on affordability.');
    expect(text).not.toContain('The repayments would be too high for your income.');
    expect(text).toContain(score.reasons[1]?.text.en ?? '');
  });
});
