/**
 * The "Report a problem" bundle on a real encrypted workstation with a real applicant: canary personal data is
 * registered, scored, overridden with a free-text note, and forced into log lines in every shape a careless log
 * call could take. The whole bundle text is then searched for each canary: none may be there.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN, createTempWorkstation, type TempWorkstation } from '../testing/temp-workstation';
import { consentFor, FORM_VALUES, intakeReady } from '../testing/intake-fixtures';
import { BUNDLE_FORMAT } from './bundle';
import { DiagnosticsSummary } from '../../../shared/sync/diagnostics';

let temp: TempWorkstation | undefined;
afterEach(() => {
  temp?.cleanup();
  temp = undefined;
});

const CANARY = {
  fullName: 'Zawadi Canaryson Mbekelele',
  phone: '+254 799 135 791',
  email: 'zawadi.canaryson@canary-mail.example',
  nationalId: '31415926',
  address: 'Canaryfinch Lane 9, Nyeri',
  dateOfBirth: '1988-07-23',
} as const;
const CANARY_NOTE = 'Canarynote: guarantor Kilimanjaro signed at the branch';

/** Every canary, and the pieces of them a partial leak would show. */
const NEEDLES = [
  CANARY.fullName,
  'Canaryson',
  'Mbekelele',
  CANARY.phone,
  '799 135 791',
  '254799135791',
  '799135791',
  CANARY.email,
  'canary-mail',
  CANARY.nationalId,
  CANARY.address,
  'Canaryfinch',
  CANARY.dateOfBirth,
  CANARY_NOTE,
  'Canarynote',
  'Kilimanjaro',
  ADMIN.displayName,
  ADMIN.password,
];

async function plantCanaries(t: TempWorkstation): Promise<string> {
  await t.ws.modelReady;
  await intakeReady(t);
  const registered = await t.call('officer', 'applicants:register', {
    personal: CANARY,
    consent: consentFor(t.ws),
  });
  if (!registered.ok) {
    throw new Error(registered.error.message);
  }
  const { applicantId } = registered.value;
  expect(await t.call('officer', 'applicants:saveFeatures', { applicantId, values: FORM_VALUES })).toMatchObject({
    ok: true,
  });
  const score = await t.call('officer', 'scoring:score', { applicantId });
  if (!score.ok) {
    throw new Error(score.error.message);
  }
  expect(score.value.outcome).toBe('approve');
  const decision = await t.call('officer', 'decisions:record', {
    scoreId: score.value.scoreId,
    decision: 'decline',
    reasonCodes: ['affordability-insufficient'],
    override: { reason: 'affordability-concern', note: CANARY_NOTE },
  });
  expect(decision).toMatchObject({ ok: true, value: { override: { note: CANARY_NOTE } } });
  expect(await t.call('officer', 'applicants:reveal', { applicantId, field: 'phone' })).toMatchObject({
    ok: true,
    value: { value: CANARY.phone },
  });

  // Careless log calls: personal data under telling keys, under innocent keys, inside sentences.
  const log = t.ws.diagnostics.log;
  log.error('applicant.lookup_failed', {
    fullName: CANARY.fullName,
    phone: CANARY.phone,
    email: CANARY.email,
    nationalId: CANARY.nationalId,
    note: CANARY_NOTE,
  });
  log.warn('applicant.debug', {
    detail: `could not score ${CANARY.fullName} (${CANARY.phone})`,
    who: CANARY.email,
    ref: CANARY.nationalId,
    contact: '254799135791',
    where: CANARY.address,
    born: CANARY.dateOfBirth,
    text: CANARY_NOTE,
    officer: ADMIN.displayName,
  });
  log.info('applicant.debug', { value: `${CANARY.phone}`, other: '0799135791', mail: `to:${CANARY.email}` });
  // A renderer error whose "where" carries what a component path never should.
  await t.call('officer', 'system:reportError', {
    screen: 'applicants',
    errorName: 'TypeError',
    where: `ApplicantCard ${CANARY.phone} ${CANARY.nationalId} ${CANARY.email}`,
  });
  return applicantId;
}

describe('the diagnostics bundle', () => {
  it('carries versions, states, counters and the recent log, and none of the planted personal data', async () => {
    const t = createTempWorkstation();
    temp = t;
    const applicantId = await plantCanaries(t);
    const result = await t.call('officer', 'system:diagnosticsBundle', {});
    if (!result.ok) {
      throw new Error(result.error.message);
    }
    const { json, fileName } = result.value;
    expect(fileName).toMatch(/^nexis-diagnostics-\d{8}-\d{6}\.json$/);

    // The planted data is really there to leak: the workstation holds it and the reveal returned it.
    expect(t.ws.applicants.personal(applicantId)?.fullName).toBe(CANARY.fullName);
    for (const needle of NEEDLES) {
      expect(json, `bundle contains "${needle}"`).not.toContain(needle);
    }
    // The same search finds what is meant to be there, so it would have found a canary too.
    const bundle = JSON.parse(json) as {
      format: string;
      app: { version: string };
      device: { deviceId: string };
      os: { platform: string; arch: string };
      disk: { freeBytes: number | null; databaseBytes: number };
      database: { schemaVersion: string };
      model: { state: string; modelVersion: string | null; policyVersion: string | null };
      sync: { state: string; enrolled: boolean };
      update: { state: string };
      diagnostics: unknown;
      log: { lines: { event: string; where?: string }[]; unreadableLines: number };
    };
    expect(json).toContain(t.ws.deviceKey.deviceId);
    expect(bundle).toMatchObject({
      format: BUNDLE_FORMAT,
      app: { version: '0.0.0-dev' },
      device: { deviceId: t.ws.deviceKey.deviceId },
      os: { platform: process.platform, arch: process.arch },
      database: { schemaVersion: expect.stringMatching(/migrations applied/) },
      model: { state: 'verified', modelVersion: expect.any(String), policyVersion: expect.any(String) },
      sync: { state: 'not-configured', enrolled: false },
      update: { state: 'none' },
    });
    expect(bundle.disk.databaseBytes).toBeGreaterThan(0);
    const summary = DiagnosticsSummary.parse(bundle.diagnostics);
    expect(summary.total).toMatchObject({ coreErrors: 1, rendererErrors: 1 });
    const events = bundle.log.lines.map((l) => l.event);
    expect(events).toEqual(
      expect.arrayContaining(['workstation.opened', 'applicant.lookup_failed', 'applicant.debug', 'renderer.error']),
    );
    expect(bundle.log.lines.find((l) => l.event === 'renderer.error')?.where).toBe('ApplicantCard');
    expect(bundle.log.unreadableLines).toBe(0);
    // Asking for a bundle is audited.
    const actions = t.ws.store.sqlite
      .prepare<[], { action: string }>("SELECT action FROM audit_log WHERE action = 'diagnostics.bundle_created'")
      .all();
    expect(actions).toHaveLength(1);
  });

  it('is refused to a signed-out caller', async () => {
    const t = createTempWorkstation();
    temp = t;
    expect(await t.call('nobody', 'system:diagnosticsBundle', {})).toMatchObject({
      ok: false,
      error: { code: 'NOT_SIGNED_IN' },
    });
  });
});
