import { describe, expect, it } from 'vitest';
import { findPersonalData, nameTokensOf, overrideNoteProblem, quoteNoteWords } from './override-note';

const NAME = nameTokensOf('Wanjiru Ng’ang’a Kamau');

describe('override note rule', () => {
  it('accepts a note of facts', () => {
    expect(overrideNoteProblem('Known customer for 6 years, salary slip seen', NAME, { quote: true })).toBeNull();
  });

  it('names each offending word on screen, and only its position in the logged form', () => {
    const note = 'Spoke with Wanjiru, call 0712 345 678 or wk@example.com';
    const onScreen = overrideNoteProblem(note, NAME, { quote: true });
    expect(onScreen).toContain("“Wanjiru,” (part of the applicant's name)");
    expect(onScreen).toContain('“0712 345 678” (a phone, id or account number)');
    expect(onScreen).toContain('“wk@example.com” (an e-mail address)');
    expect(onScreen).toMatch(/^Override note: take out the personal data/);
    const logged = overrideNoteProblem(note, NAME, { quote: false }) ?? '';
    expect(logged).toContain("word 3 (part of the applicant's name)");
    expect(logged).toContain('words 5, 6 and 7 (a phone, id or account number)');
    expect(logged).not.toMatch(/Wanjiru|0712|example/);
  });

  it('matches names without accents or case, and name parts joined by typographic apostrophes', () => {
    expect(findPersonalData('met NJERI today', nameTokensOf('Njéri Otieno')).map((f) => f.kind)).toEqual(['name']);
    expect(findPersonalData('the ng’ang’a family', NAME).map((f) => f.kind)).toEqual(['name']);
    expect(findPersonalData('Otieno Road branch visit', NAME)).toEqual([]);
  });

  it('says how long the note may be', () => {
    expect(overrideNoteProblem('x'.repeat(281), [], { quote: true })).toBe(
      'Override note: shorten it to 280 characters or fewer (it has 281).',
    );
  });

  it('quotes the words of a core refusal on screen, where the note is at hand', () => {
    const note = 'Spoke with Wanjiru, call 0712 345 678';
    const logged = overrideNoteProblem(note, NAME, { quote: false }) ?? '';
    expect(quoteNoteWords(logged, note)).toBe(overrideNoteProblem(note, NAME, { quote: true }));
    expect(quoteNoteWords('Something else', note)).toBe('Something else');
  });
});
