import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTempWorkstation, type TempWorkstation } from '../testing/temp-workstation';
import { consentFor, FORM_VALUES, intakeReady, PERSON } from '../testing/intake-fixtures';
import { verifyAuditChain } from '../audit/verify';

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

async function register(t: TempWorkstation, person = PERSON, grants = {}) {
  const result = await t.call('officer', 'applicants:register', {
    personal: person,
    consent: consentFor(t.ws, grants),
  });
  if (!result.ok) {
    throw new Error(`${result.error.code}: ${result.error.message}`);
  }
  return result.value;
}

describe('registration and consent', () => {
  it('stores the signed consent receipt first, then encrypted personal data, all in the audit chain', async () => {
    const t = await ready();
    const { applicantId, receiptId } = await register(t);
    expect(applicantId).toMatch(/^NEX-/);
    const receipt = await t.call('officer', 'consent:receipt', { receiptId });
    expect(receipt).toMatchObject({
      ok: true,
      value: {
        signatureValid: true,
        receipt: { version: 'KI-CR-v1.1.0', piiPrincipalId: applicantId, jurisdiction: 'KE', language: 'en' },
      },
    });
    const actions = (await t.call('officer', 'applicants:get', { applicantId })).ok
      ? t.ws.applicantDetail(applicantId).timeline.map((e) => e.action)
      : [];
    expect(actions).toEqual(['consent.captured', 'applicant.registered']);
    // Nothing personal in the audit chain or in the file.
    const auditText = JSON.stringify(t.ws.store.sqlite.prepare('SELECT * FROM audit_log').all());
    for (const value of [PERSON.fullName, 'Wanjiru', PERSON.nationalId, '345 678', PERSON.email ?? '']) {
      expect(auditText).not.toContain(value);
    }
  });

  it('refuses registration without consent to credit scoring, below legal age, or against an outdated notice', async () => {
    const t = await ready();
    const base = { personal: PERSON, consent: consentFor(t.ws) };
    expect(
      await t.call('officer', 'applicants:register', {
        ...base,
        consent: { ...base.consent, grants: { ...base.consent.grants, 'credit-scoring': false } },
      }),
    ).toMatchObject({ error: { code: 'CONSENT_REQUIRED' } });
    expect(
      await t.call('officer', 'applicants:register', { ...base, personal: { ...PERSON, dateOfBirth: '2012-01-01' } }),
    ).toMatchObject({
      error: { code: 'INVALID_INPUT', message: expect.stringMatching(/18 years/) },
    });
    expect(
      await t.call('officer', 'applicants:register', {
        ...base,
        consent: { ...base.consent, noticeSha256: 'a'.repeat(64) },
      }),
    ).toMatchObject({
      error: { code: 'CONFLICT', message: expect.stringMatching(/notice/) },
    });
    expect(
      (await t.call('officer', 'applicants:list', { page: 1, pageSize: 10 })).ok &&
        t.ws.applicants.list(undefined, 1, 10).total,
    ).toBe(0);
  });

  it('registers with behavioural data in one transaction: refused data leaves no applicant behind', async () => {
    const t = await ready();
    const count = () =>
      t.ws.store.sqlite.prepare<[], { n: number }>('SELECT count(*) AS n FROM applicants').get()?.n ?? -1;
    const audit = () => t.ws.store.audit.head().seq;
    const before = { applicants: count(), audit: audit() };
    const refused = await t.call('officer', 'applicants:register', {
      personal: PERSON,
      consent: consentFor(t.ws),
      values: { ...FORM_VALUES, savingsRate: -5 },
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect({ applicants: count(), audit: audit() }).toEqual(before);
    const done = await t.call('officer', 'applicants:register', {
      personal: PERSON,
      consent: consentFor(t.ws),
      values: FORM_VALUES,
    });
    if (!done.ok) {
      throw new Error(done.error.message);
    }
    expect(t.ws.behaviour.latest(done.value.applicantId)?.values).toMatchObject({
      savingsRate: FORM_VALUES.savingsRate,
    });
    expect(t.ws.applicantDetail(done.value.applicantId).timeline.map((e) => e.action)).toEqual([
      'consent.captured',
      'applicant.registered',
      'behaviour.captured',
    ]);
  });

  it('masks personal data by default and audits a reveal', async () => {
    const t = await ready();
    const { applicantId } = await register(t);
    const detail = await t.call('officer', 'applicants:get', { applicantId });
    expect(detail).toMatchObject({
      ok: true,
      value: { personal: { fullName: 'Wanjiru K. N.', phone: '•••• 5678', nationalId: '•••••432' } },
    });
    expect(await t.call('officer', 'applicants:reveal', { applicantId, field: 'nationalId' })).toMatchObject({
      ok: true,
      value: { value: '28765432' },
    });
    expect(t.ws.applicantDetail(applicantId).timeline.at(-1)).toMatchObject({
      action: 'applicant.pii_revealed',
      payload: { field: 'nationalId' },
    });
    expect(
      await t.call('officer', 'applicants:reveal', { applicantId: 'NEX-00000-00000-0', field: 'phone' }),
    ).toMatchObject({
      ok: false,
    });
  });

  it('withdrawal of a purpose takes effect at once: behavioural data capture is then refused', async () => {
    const t = await ready();
    const { applicantId } = await register(t);
    expect(await t.call('officer', 'applicants:saveFeatures', { applicantId, values: FORM_VALUES })).toMatchObject({
      ok: true,
    });
    expect(await t.call('officer', 'consent:withdraw', { applicantId, purpose: 'credit-scoring' })).toMatchObject({
      ok: true,
      value: expect.arrayContaining([
        expect.objectContaining({ purpose: 'credit-scoring', granted: true, active: false }),
      ]),
    });
    expect(await t.call('officer', 'applicants:saveFeatures', { applicantId, values: FORM_VALUES })).toMatchObject({
      error: { code: 'CONSENT_REQUIRED' },
    });
    expect(() => t.ws.consent.requireActive(applicantId, 'credit-scoring')).toThrow(
      expect.objectContaining({ code: 'CONSENT_REQUIRED' }),
    );
    expect(await t.call('officer', 'consent:withdraw', { applicantId, purpose: 'credit-scoring' })).toMatchObject({
      error: { code: 'CONFLICT' },
    });
  });
});

describe('search through the blind index', () => {
  it('finds applicants by name prefix, phone suffix, national id and id prefix, and no one else', async () => {
    const t = await ready();
    const a = await register(t);
    const b = await register(t, {
      ...PERSON,
      fullName: 'Achieng Otieno',
      phone: '+254 733 111 222',
      nationalId: '11122233',
    });
    const ids = async (query: string) => {
      const r = await t.call('officer', 'applicants:list', { query, page: 1, pageSize: 20 });
      return r.ok ? r.value.items.map((i) => i.applicantId).sort() : [];
    };
    expect(await ids('wanj')).toEqual([a.applicantId]);
    expect(await ids('Wanjiru Kamau')).toEqual([a.applicantId]);
    expect(await ids('ACHIÉNG')).toEqual([b.applicantId]);
    expect(await ids('1222')).toEqual([b.applicantId]);
    expect(await ids('0712345678')).toEqual([a.applicantId]);
    expect(await ids('345 678')).toEqual([a.applicantId]);
    expect(await ids('11122233')).toEqual([b.applicantId]);
    expect(await ids(a.applicantId.slice(0, 9).toLowerCase())).toEqual([a.applicantId]);
    expect(await ids('zzz')).toEqual([]);
    expect((await ids('')).length).toBe(2);
    // The index holds no clear text.
    const tokens = JSON.stringify(t.ws.store.sqlite.prepare('SELECT token FROM applicant_search').all());
    expect(tokens).not.toMatch(/wanj|achieng|1222/i);
  });
});

describe('behavioural data', () => {
  it('validates the form against the feature specification with messages naming the field', async () => {
    const t = await ready();
    const { applicantId } = await register(t);
    const bad = await t.call('officer', 'applicants:saveFeatures', {
      applicantId,
      values: { ...FORM_VALUES, savingsRate: 3, sex: 1 },
    });
    expect(bad).toMatchObject({
      error: {
        code: 'INVALID_INPUT',
        message: expect.stringMatching(/savingsRate: Savings rate: .* \(300 % is above/),
      },
    });
    expect(bad.ok === false && bad.error.message).toMatch(/sex/);
    expect(t.ws.behaviour.latest(applicantId)).toBeNull();
  });

  it('imports the sample statement, keeps only derived features, and stores them encrypted', async () => {
    const t = await ready();
    const { applicantId } = await register(t);
    await t.call('officer', 'applicants:saveFeatures', { applicantId, values: FORM_VALUES });
    const csv = readFileSync(join(process.cwd(), 'resources', 'samples', 'statement-sample.csv'), 'utf8');
    const preview = await t.call('officer', 'applicants:previewStatement', { applicantId, csv });
    expect(preview).toMatchObject({ ok: true, value: { months: 12, transactions: 180, warnings: [] } });
    expect(preview.ok && preview.value.derived.sort()).toEqual(
      [
        'airtimeTopupsPerMonth',
        'debtToIncome',
        'inflowVolatility',
        'mobileMoneyHistoryMonths',
        'mobileMoneyInflowAvg',
        'savingsRate',
      ].sort(),
    );
    const imported = await t.call('officer', 'applicants:importStatement', { applicantId, csv });
    expect(imported).toMatchObject({
      ok: true,
      value: { source: 'statement-import', values: { rentOnTime12m: 12, airtimeTopupsPerMonth: 4 } },
    });
    const stored = JSON.stringify(t.ws.store.sqlite.prepare('SELECT * FROM behavioural_records').all());
    // Neither the transactions nor the values appear in clear: only the names of the derived features do.
    expect(stored).not.toMatch(/"mobileMoneyInflowAvg":|"rentOnTime12m":|business|2025-11-02/);
  });

  it.each([
    ['a missing column', 'date,direction,amount\n2026-01-01,in,100\n', /column "category"/],
    [
      'a bad amount',
      'date,direction,category,amount\n2026-01-01,in,business,100\n2026-01-02,in,business,-5\n',
      /row 3, column "amount"/,
    ],
    ['a bad date', 'date,direction,category,amount\n2026-13-45,in,business,100\n', /row 2, column "date"/],
    ['an unknown category', 'date,direction,category,amount\n2026-01-01,in,lottery,100\n', /row 2, column "category"/],
    [
      'a formula injection',
      'date,direction,category,amount\n2026-01-01,in,business,=HYPERLINK("x")\n',
      /column "amount"/,
    ],
    ['binary garbage', '\u0000\u0001\u0002PK\u0003\u0004', /column "date"/],
    ['only a header', 'date,direction,category,amount\n', /no transactions/],
  ])('refuses a statement with %s, naming row and column, and saves nothing', async (_label, csv, message) => {
    const t = await ready();
    const { applicantId } = await register(t);
    const before = t.ws.store.audit.head().seq;
    const result = await t.call('officer', 'applicants:importStatement', { applicantId, csv });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'IMPORT_INVALID', message: expect.stringMatching(message) },
    });
    expect(t.ws.behaviour.latest(applicantId)).toBeNull();
    expect(t.ws.store.audit.head().seq).toBe(before);
  });
});

describe('data-subject rights', () => {
  it('exports everything held, as JSON and readable text, audited', async () => {
    const t = await ready();
    const { applicantId } = await register(t);
    await t.call('officer', 'applicants:saveFeatures', { applicantId, values: FORM_VALUES });
    const exported = await t.call('officer', 'applicants:export', { applicantId });
    expect(exported.ok).toBe(true);
    if (!exported.ok) {
      return;
    }
    const bundle = JSON.parse(exported.value.json) as {
      personal: { fullName: string };
      consent: { receipts: unknown[] };
      behaviour: unknown;
    };
    expect(bundle.personal.fullName).toBe(PERSON.fullName);
    expect(bundle.consent.receipts).toHaveLength(1);
    expect(exported.value.text).toMatch(/Full name: Wanjiru Kamau Njeri/);
    expect(t.ws.applicantDetail(applicantId).timeline.at(-1)?.action).toBe('applicant.exported');
  });

  it('erasure shreds the data key: nothing personal decrypts, other applicants are untouched, the chain still verifies', async () => {
    const t = await ready();
    const erased = await register(t);
    const kept = await register(t, {
      ...PERSON,
      fullName: 'Achieng Otieno',
      phone: '+254 733 111 222',
      nationalId: '11122233',
    });
    await t.call('officer', 'applicants:saveFeatures', { applicantId: erased.applicantId, values: FORM_VALUES });
    const ciphertexts = t.ws.store.sqlite
      .prepare('SELECT * FROM applicant_pii WHERE applicant_id = ?')
      .all(erased.applicantId);
    await t.call('admin', 'officers:create', {
      username: 'sup.one',
      displayName: 'Supervisor',
      role: 'supervisor',
      password: 'temporary pass 123',
    });
    await t.call('supervisor', 'auth:signIn', { username: 'sup.one', password: 'temporary pass 123' });
    expect(
      await t.call('supervisor', 'auth:changePassword', {
        currentPassword: 'temporary pass 123',
        newPassword: 'supervisor pass 789',
      }),
    ).toMatchObject({ ok: true });
    // Administrators run the system, not applicant files.
    expect(
      await t.call('admin', 'applicants:erase', { applicantId: erased.applicantId, reason: 'data-subject-request' }),
    ).toMatchObject({ error: { code: 'FORBIDDEN' } });
    expect(
      await t.call('officer', 'applicants:erase', { applicantId: erased.applicantId, reason: 'data-subject-request' }),
    ).toMatchObject({
      error: { code: 'FORBIDDEN' },
    });
    expect(
      await t.call('supervisor', 'applicants:erase', {
        applicantId: erased.applicantId,
        reason: 'data-subject-request',
      }),
    ).toMatchObject({ ok: true });

    expect(t.ws.applicants.dataKey(erased.applicantId)).toBeNull();
    expect(t.ws.applicants.personal(erased.applicantId)).toBeNull();
    expect(t.ws.behaviour.latest(erased.applicantId)).toBeNull();
    expect(ciphertexts.length).toBeGreaterThan(0);
    expect(
      t.ws.store.sqlite
        .prepare('SELECT count(*) AS n FROM applicant_search WHERE applicant_id = ?')
        .get(erased.applicantId),
    ).toEqual({ n: 0 });
    expect(await t.call('officer', 'applicants:get', { applicantId: erased.applicantId })).toMatchObject({
      ok: true,
      value: { status: 'erased', personal: null, behaviour: null },
    });
    expect(
      await t.call('officer', 'applicants:reveal', { applicantId: erased.applicantId, field: 'fullName' }),
    ).toMatchObject({
      error: { code: 'CONFLICT' },
    });
    expect(t.ws.applicants.personal(kept.applicantId)?.fullName).toBe('Achieng Otieno');
    expect(await verifyAuditChain(t.ws.store.sqlite, t.ws.deviceKey)).toMatchObject({ ok: true });
  });
});
