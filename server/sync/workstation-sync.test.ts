/**
 * The real workstation (encrypted SQLite, its audit chain and meta table) syncing with the real central API on
 * PGlite: the outbox is the audit chain, attachments follow the central-sync grant, countersignatures land in meta,
 * and a withdrawal raised at another branch is applied locally and audited.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { openDatabase, type Database } from '../db/database';
import { auditEntries } from '../db/schema';
import { createTempWorkstation, type TempWorkstation } from '../../electron/core/testing/temp-workstation';
import { consentFor, intakeReady, PERSON } from '../../electron/core/testing/intake-fixtures';
import { verifyAuditChain } from '../../electron/core/audit/verify';
import { SyncClient } from '../../electron/core/sync/client';
import { auditChainSource } from '../../electron/core/sync/audit-source';
import { metaSyncStateStore } from '../../electron/core/sync/meta-state';
import { SyncState } from '../../electron/core/sync/state';
import { createHttpTransport } from '../../electron/core/sync/transport';
import { coreSyncHandlers } from '../../electron/core/sync/core-handlers';
import type { AttachmentFor } from '../../electron/core/sync/types';
import type { Workstation } from '../../electron/core/workstation';
import { getMeta } from '../../electron/core/system/meta-store';
import { join } from 'node:path';
import { enrolmentCode, startTestServer, type TestServer } from '../testing/test-server';

/** Personal data travels only while the applicant's central-sync purpose is granted. */
function attachmentsFor(ws: Workstation): AttachmentFor {
  return (entry) => {
    if (entry.action !== 'applicant.registered' || entry.subject === null) {
      return null;
    }
    if (!ws.consent.isActive(entry.subject, 'central-sync')) {
      return null;
    }
    const personal = ws.applicants.personal(entry.subject);
    return personal === null ? null : { kind: 'applicant.record', body: { ...personal } };
  };
}

function clientFor(t: TempWorkstation, server: TestServer): SyncClient {
  const stateStore = metaSyncStateStore(t.ws.store);
  return new SyncClient({
    transport: createHttpTransport(server.url),
    source: auditChainSource(t.ws.store),
    attachmentFor: attachmentsFor(t.ws),
    state: new SyncState(stateStore),
    device: t.ws.deviceKey,
    handlers: coreSyncHandlers({
      consent: t.ws.consent,
      applicants: t.ws.applicants,
      state: stateStore,
      modelsDir: join(t.dir, 'models'),
      verifyModel: () => ({ ok: false, reason: 'no model key in this test' }),
    }),
  });
}

async function register(t: TempWorkstation, grants = {}): Promise<string> {
  const result = await t.call('officer', 'applicants:register', {
    personal: PERSON,
    consent: consentFor(t.ws, grants),
  });
  if (!result.ok) {
    throw new Error(result.error.code);
  }
  return result.value.applicantId;
}

describe('a real workstation syncing with the central API (PGlite)', () => {
  let database: Database;
  let server: TestServer;
  const workstations: TempWorkstation[] = [];

  beforeAll(async () => {
    database = await openDatabase({ kind: 'pglite' });
    server = await startTestServer(database);
  });
  afterEach(() => {
    for (const t of workstations.splice(0)) {
      t.cleanup();
    }
  });
  afterAll(async () => {
    await server.close();
    await database.close();
  });

  it('pushes the audit chain with attachments only where central-sync is granted, and stores the countersignature', async () => {
    const t = createTempWorkstation({ checkpointEvery: 5 });
    workstations.push(t);
    await intakeReady(t);
    const shared = await register(t, { 'central-sync': true });
    const kept = await register(t);
    const client = clientFor(t, server);
    await client.enrol(server.url, await enrolmentCode(server, 'NBO-01'));
    const report = await client.syncOnce();
    const head = t.ws.store.audit.head();
    expect(report.push.ackedSeq).toBe(head.seq);

    const registered = await database.db
      .select({ subject: auditEntries.subject, kind: auditEntries.attachmentKind })
      .from(auditEntries)
      .where(and(eq(auditEntries.deviceId, t.ws.deviceKey.deviceId), eq(auditEntries.action, 'applicant.registered')));
    expect(registered).toEqual(
      expect.arrayContaining([
        { subject: shared, kind: 'applicant.record' },
        { subject: kept, kind: null },
      ]),
    );
    const countersigned = getMeta(t.ws.store.db, 'sync.push.countersigned');
    expect(countersigned).toBeDefined();
    expect(JSON.parse(countersigned ?? '{}')).toMatchObject({ deviceId: t.ws.deviceKey.deviceId });
    expect(client.state.ackedSeq).toBe(head.seq);
  });

  it('applies a withdrawal raised at another branch through the consent service, audited', async () => {
    const here = createTempWorkstation();
    workstations.push(here);
    await intakeReady(here);
    const applicantId = await register(here, { 'central-sync': true });
    const client = clientFor(here, server);
    await client.enrol(server.url, await enrolmentCode(server, 'NBO-01'));
    await client.syncOnce();

    const published = await server.admin('POST', '/v1/admin/consent-withdrawals', {
      applicantId,
      purpose: 'central-sync',
    });
    expect(published.status).toBe(201);
    const report = await client.syncOnce();
    expect(report.pull.applied).toBe(1);
    expect(here.ws.consent.isActive(applicantId, 'central-sync')).toBe(false);
    const last = here.ws.applicantDetail(applicantId).timeline.at(-1);
    expect(last).toMatchObject({ action: 'consent.withdrawn', actor: 'system' });
    // The audited withdrawal itself is pushed on the next sync, and the local chain still verifies.
    expect((await client.syncOnce()).push.stored).toBeGreaterThan(0);
    const verified = await verifyAuditChain(here.ws.store.sqlite, here.ws.deviceKey);
    expect(verified.ok).toBe(true);
  });
});
