import { afterEach, describe, expect, it } from 'vitest';
import { createTempWorkstation, type TempWorkstation } from '../testing/temp-workstation';
import { consentFor, intakeReady, PERSON } from '../testing/intake-fixtures';
import { parseStatement } from './statement';

const HEADER = 'date,direction,category,amount';

function refusal(csv: string): string {
  try {
    parseStatement(csv);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  return 'accepted';
}

describe('statement import report', () => {
  it('lists every bad row with its column, not only the first', () => {
    const csv = [
      HEADER,
      '2026-01-01,in,business,100',
      '2026-01-02,in,business,-5',
      '2026-13-40,in,business,100',
      '2026-01-04,sideways,business,100',
      '2026-01-05,in,lottery,100',
    ].join('\n');
    const message = refusal(csv);
    expect(message).toMatch(/^Statement not imported: 4 rows have problems\./);
    for (const where of [
      'row 3, column "amount"',
      'row 4, column "date"',
      'row 5, column "direction"',
      'row 6, column "category"',
    ]) {
      expect(message).toContain(where);
    }
    expect(message).toMatch(/Nothing was saved: correct these rows in the file and import it again\.$/);
  });

  it('bounds the list and says how many more rows are bad', () => {
    const rows = Array.from({ length: 25 }, (_, i) => `2026-01-${String((i % 28) + 1).padStart(2, '0')},in,business,x`);
    const message = refusal([HEADER, ...rows].join('\n'));
    expect(message).toMatch(/^Statement not imported: 25 rows have problems\./);
    expect(message.match(/column "amount"/g)).toHaveLength(10);
    expect(message).toContain('and 15 more rows');
  });
});

describe('thin statements', () => {
  let temp: TempWorkstation | undefined;
  afterEach(() => {
    temp?.cleanup();
    temp = undefined;
  });

  it('warns, stating the thresholds, when a statement covers two transactions in one month', async () => {
    const t = createTempWorkstation();
    temp = t;
    await intakeReady(t);
    const registered = await t.call('officer', 'applicants:register', { personal: PERSON, consent: consentFor(t.ws) });
    if (!registered.ok) {
      throw new Error(registered.error.message);
    }
    const csv = [HEADER, '2026-01-03,in,business,4500', '2026-01-20,out,airtime,100'].join('\n');
    const preview = await t.call('officer', 'applicants:previewStatement', {
      applicantId: registered.value.applicantId,
      csv,
    });
    expect(preview.ok && preview.value.warnings[0]).toBe(
      'Thin statement: 2 transactions over 1 month. Values derived from fewer than 3 months or 20 transactions say ' +
        'little about the applicant; ask for a longer statement (12 months is best), or check each value before importing.',
    );
  });
});
