/**
 * Duplicate detection and phone search over the blind index, on a real encrypted workstation database: the same
 * national id or phone number written another way is still the same person, and a stored index built under the old
 * rules (raw phone digits) is recomputed once when the workstation opens.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { applicantSearch } from '../db/schema';
import { createTempWorkstation, type TempWorkstation } from '../testing/temp-workstation';
import { consentFor, intakeReady, PERSON } from '../testing/intake-fixtures';
import { BlindIndex } from './blind-index';
import { BLIND_INDEX_VERSION_KEY } from './index-upgrade';
import { loadOrCreatePiiKeys } from './key-material';
import { canonicalPhoneDigits } from './phone';

let temp: TempWorkstation | undefined;
afterEach(() => {
  temp?.cleanup();
  temp = undefined;
});

async function ready(): Promise<TempWorkstation> {
  const t = createTempWorkstation();
  temp = t;
  await intakeReady(t);
  return t;
}

async function register(t: TempWorkstation, person = PERSON): Promise<string> {
  const result = await t.call('officer', 'applicants:register', { personal: person, consent: consentFor(t.ws) });
  if (!result.ok) {
    throw new Error(`${result.error.code}: ${result.error.message}`);
  }
  return result.value.applicantId;
}

async function found(t: TempWorkstation, query: string): Promise<string[]> {
  const r = await t.call('officer', 'applicants:list', { query, page: 1, pageSize: 20 });
  if (!r.ok) {
    throw new Error(r.error.message);
  }
  return r.value.items.map((i) => i.applicantId).sort();
}

// Every way the one Kenyan number +254 712 345 678 is commonly written.
const SAME_NUMBER = [
  '0712345678',
  '0712 345 678',
  '0712-345-678',
  '712345678',
  '712 345 678',
  '+254712345678',
  '+254 712 345 678',
  '+254-712-345-678',
  '254712345678',
  '254 712 345 678',
];

describe('phone numbers', () => {
  it('normalise every Kenyan written form to one E.164 value, and refuse what is not a number', () => {
    for (const written of SAME_NUMBER) {
      expect(canonicalPhoneDigits(written), written).toBe('254712345678');
    }
    expect(canonicalPhoneDigits('+44 20 7946 0958')).toBe('442079460958');
    expect(canonicalPhoneDigits('5678')).toBeNull();
  });
});

describe('search normalises phone numbers', () => {
  it('finds an applicant by the whole phone number in any written form, and by its last digits', async () => {
    const t = await ready();
    const a = await register(t); // phone written '+254 712 345 678'
    const b = await register(t, {
      ...PERSON,
      fullName: 'Achieng Otieno',
      phone: '0733 111 222',
      nationalId: '11122233',
    });
    for (const written of SAME_NUMBER) {
      expect(await found(t, written), written).toEqual([a]);
    }
    for (const written of ['+254 733 111 222', '254733111222', '733-111-222']) {
      expect(await found(t, written), written).toEqual([b]);
    }
    expect(await found(t, '5678')).toEqual([a]);
    expect(await found(t, '345 678')).toEqual([a]);
    // A number that is not theirs finds no one.
    expect(await found(t, '0712 345 679')).toEqual([]);
  });
});

describe('possible duplicates', () => {
  it('names the existing applicant, masked, when the national id or the phone number is already registered', async () => {
    const t = await ready();
    const existing = await register(t);
    const check = async (phone: string, nationalId: string) => {
      const r = await t.call('officer', 'applicants:duplicates', { phone, nationalId });
      if (!r.ok) {
        throw new Error(r.error.message);
      }
      return r.value;
    };
    expect(await check('0712-345-678', '28765432')).toEqual([
      {
        applicantId: existing,
        maskedName: 'Wanjiru K. N.',
        createdAt: expect.any(String),
        matchedOn: ['nationalId', 'phone'],
      },
    ]);
    // By phone alone, written another way; by national id alone, with dashes and spaces.
    expect((await check('712345678', '99999999')).map((d) => d.matchedOn)).toEqual([['phone']]);
    expect((await check('0799 000 111', '2876-5432')).map((d) => d.matchedOn)).toEqual([['nationalId']]);
    // A new person is no one's duplicate; half-typed values match nothing.
    expect(await check('0799 000 111', '99999999')).toEqual([]);
    expect(await check('', '')).toEqual([]);
    // An erased applicant is no longer anyone's duplicate: their tokens went with their data.
    t.ws.applicants.erase('supervisor-id', existing, 'registered-in-error');
    expect(await check('0712345678', '28765432')).toEqual([]);
  });

  it('records in the audit trail, by pseudonymous id, that a registration went ahead despite a match', async () => {
    const t = await ready();
    const first = await register(t);
    const second = await register(t, { ...PERSON, fullName: 'Achieng Otieno', phone: '0733 111 222' });
    const payloads = t.ws.store.sqlite
      .prepare<[], { subject: string; payload: string }>(
        "SELECT subject, payload FROM audit_log WHERE action = 'applicant.registered' ORDER BY seq",
      )
      .all()
      .map((e) => ({ subject: e.subject, payload: JSON.parse(e.payload) as Record<string, unknown> }));
    expect(payloads).toEqual([
      { subject: first, payload: { receiptId: expect.any(String) } },
      { subject: second, payload: { receiptId: expect.any(String), possibleDuplicatesOf: [first] } },
    ]);
  });

  it('is open to lending roles only', async () => {
    const t = await ready();
    const r = await t.call('admin', 'applicants:duplicates', { phone: '0712345678', nationalId: '28765432' });
    expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});

describe('blind index upgrade', () => {
  it('recomputes tokens stored under the old rules once, so old applicants are found by a normalised number', async () => {
    const t = await ready();
    const a = await register(t, { ...PERSON, phone: '0712 345 678' });
    // Put the database back to version 1: tokens of the raw digits written, no whole-number token, no version.
    const ws = t.ws;
    const oldIndex = new BlindIndex(loadOrCreatePiiKeys(ws.store.sqlite, ws.store.db).indexKey);
    const digits = '0712345678';
    ws.store.transaction(() => {
      ws.store.sqlite.prepare('DELETE FROM applicant_search').run();
      ws.store.sqlite.prepare('DELETE FROM meta WHERE key = ?').run(BLIND_INDEX_VERSION_KEY);
      // Name and national id tokens are unchanged by version 2; the phone tokens were suffixes of the raw digits.
      const tokens = oldIndex.tokensFor({ ...PERSON, phone: '' });
      for (let n = 4; n <= digits.length; n += 1) {
        tokens.push(oldIndex.token('phone', digits.slice(-n)));
      }
      for (const token of new Set(tokens)) {
        ws.store.db.insert(applicantSearch).values({ token, applicantId: a }).run();
      }
    });
    expect(await found(t, '+254 712 345 678')).toEqual([]);

    t.reopen();
    await t.call('officer', 'auth:signIn', { username: 'otieno.officer', password: 'officer secret 456' });
    expect(await found(t, '+254 712 345 678')).toEqual([a]);
    expect(await found(t, 'wanj')).toEqual([a]);
    const version = t.ws.store.sqlite.prepare('SELECT value FROM meta WHERE key = ?').get(BLIND_INDEX_VERSION_KEY);
    expect(version).toEqual({ value: '2' });
    const dup = await t.call('officer', 'applicants:duplicates', { phone: '254712345678', nationalId: '' });
    expect(dup).toMatchObject({ ok: true, value: [{ applicantId: a, matchedOn: ['phone'] }] });
  });
});
