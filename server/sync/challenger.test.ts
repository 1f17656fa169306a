/**
 * Champion and challenger on the workstation, with real parts: the central API (PGlite), a four-eyes model release
 * carrying a challenger package (a model of its own, trained and bank-signed here), and an encrypted workstation that
 * installs it after verifying both packages. Each score then carries the challenger's shadow figures in its row, its
 * chained audit entry and its `score.result` attachment, while the reasons, the plan and the policy outcome stay the
 * champion's. A challenger signed by another key or for another feature specification gets the whole release
 * refused; a release without one ends the shadow scoring. Promoting the challenger is a four-eyes release of its
 * package as the champion, refused from the attacker's side (no session, wrong role, path spellings).
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { openDatabase, type Database } from '../db/database';
import { auditEntries } from '../db/schema';
import { createTempWorkstation, type TempWorkstation } from '../../electron/core/testing/temp-workstation';
import { consentFor, FORM_VALUES, intakeReady, PERSON } from '../../electron/core/testing/intake-fixtures';
import { ChallengerScore, type ScoreView } from '../../shared/ipc/scoring';
import { MonitoringReportSchema } from '../../shared/sync/monitoring';
import { SimDevice } from '../testing/sim-device';
import type { SyncStatusView } from '../../shared/ipc/sync';
import { UNCONSTRAINED_SPEC } from '../../models/testing/fixtures';
import { releaseFiles, testChallengerDir, testModelDir, testTrustOptions } from '../testing/releases';
import { enrolmentCode, startTestServer, type TestServer } from '../testing/test-server';

async function ok<T>(
  result: Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>,
): Promise<T> {
  const settled = await result;
  if (!settled.ok) {
    throw new Error(`${settled.error.code}: ${settled.error.message}`);
  }
  return settled.value;
}

describe('champion and challenger on a workstation (PGlite)', () => {
  let database: Database;
  let server: TestServer;
  let t: TempWorkstation;
  const syncNow = (): Promise<SyncStatusView> => ok(t.call('admin', 'sync:now', {}));
  const publish = async (version: string, challenger?: string): Promise<void> => {
    const body = {
      version,
      files: releaseFiles(testModelDir()),
      ...(challenger === undefined ? {} : { challenger: { files: releaseFiles(challenger) } }),
    };
    expect((await server.publish('POST', '/v1/admin/model-releases', body)).status).toBe(201);
  };
  const scoreOne = async (): Promise<ScoreView> => {
    const { applicantId } = await ok(
      t.call('officer', 'applicants:register', { personal: PERSON, consent: consentFor(t.ws) }),
    );
    await ok(t.call('officer', 'applicants:saveFeatures', { applicantId, values: FORM_VALUES }));
    return ok(t.call('officer', 'scoring:score', { applicantId }));
  };
  const storedChallenger = (scoreId: string): string | null => {
    const row = t.ws.store.sqlite
      .prepare<[string], { challenger: string | null }>('SELECT challenger FROM scores WHERE id = ?')
      .get(scoreId);
    if (row === undefined) {
      throw new Error(`no score ${scoreId}`);
    }
    return row.challenger;
  };
  const auditPayload = (scoreId: string): Record<string, unknown> => {
    const rows = t.ws.store.sqlite
      .prepare<[], { payload: string }>("SELECT payload FROM audit_log WHERE action = 'applicant.scored'")
      .all()
      .map((r) => JSON.parse(r.payload) as Record<string, unknown>);
    return rows.find((p) => p.scoreId === scoreId) ?? {};
  };

  beforeAll(async () => {
    database = await openDatabase({ kind: 'pglite' });
    server = await startTestServer(database);
    t = createTempWorkstation({ syncIntervalMs: 600_000, ...testTrustOptions() });
    await intakeReady(t);
    await t.ws.modelReady;
    await ok(t.call('admin', 'sync:enrol', { serverUrl: server.url, code: await enrolmentCode(server, 'NBO-01') }));
  }, 120_000);

  afterAll(async () => {
    t.cleanup();
    await server.close();
    await database.close();
  });

  it("scores in shadow with a release's challenger: recorded in the row, the audit entry and the attachment", async () => {
    const before = await scoreOne();
    expect(storedChallenger(before.scoreId)).toBeNull();
    expect(auditPayload(before.scoreId)).not.toHaveProperty('challenger');

    await publish('2026.12-c1', testChallengerDir());
    expect((await syncNow()).model).toMatchObject({ current: '2026.12-c1' });
    const score = await scoreOne();
    // The champion still drives what the officer sees: same model, same figures as before the release.
    expect(score).toMatchObject({
      modelHash: before.modelHash,
      score: before.score,
      outcome: before.outcome,
      reasons: before.reasons,
    });
    const shadow = ChallengerScore.parse(JSON.parse(String(storedChallenger(score.scoreId))));
    expect(shadow.modelVersion).toBe('1.1.0');
    expect(shadow.modelHash).not.toBe(score.modelHash);
    expect(shadow.probabilityOfDefault).not.toBe(score.probabilityOfDefault);
    expect(auditPayload(score.scoreId)).toMatchObject({
      scoreId: score.scoreId,
      modelHash: score.modelHash,
      challenger: {
        modelHash: shadow.modelHash,
        modelVersion: '1.1.0',
        score: shadow.score,
        band: shadow.band,
        outcome: shadow.outcome,
      },
    });

    await syncNow();
    const [entry] = await database.db
      .select()
      .from(auditEntries)
      .where(and(eq(auditEntries.action, 'applicant.scored'), eq(auditEntries.deviceId, t.ws.deviceKey.deviceId)))
      .then((rows) => rows.filter((r) => (JSON.parse(r.payload) as { scoreId?: string }).scoreId === score.scoreId));
    const attachment = (typeof entry?.attachment === 'string' ? JSON.parse(entry.attachment) : entry?.attachment) as {
      challenger?: unknown;
      probabilityOfDefault?: number;
    };
    expect(attachment.probabilityOfDefault).toBe(score.probabilityOfDefault);
    expect(attachment.challenger).toEqual(shadow);
  });

  it('the centre compares the shadow scores it believes, and not those of a challenger no release carried', async () => {
    const report = MonitoringReportSchema.parse((await server.admin('GET', '/v1/admin/monitoring')).body);
    const [comparison] = report.models.find((m) => m.modelVersion === '1.0.0')?.challengers ?? [];
    expect(comparison).toMatchObject({ modelVersion: '1.1.0', scores: 1 });
    expect(report.excluded.unknownChallengers).toBe(0);

    // A device that invents a challenger (its own hash) in the chained entry and the attachment alike.
    const forged = `sha256:${'0f'.repeat(32)}`;
    const device = new SimDevice({
      attachmentFor: (entry) =>
        entry.action !== 'applicant.scored'
          ? null
          : {
              kind: 'score.result',
              body: {
                scoreId: 'SC-00000000000000F1',
                applicantId: entry.subject ?? '',
                band: 'B',
                outcome: 'approve',
                score: 600,
                probabilityOfDefault: 0.1,
                modelHash: `sha256:${'ab'.repeat(32)}`,
                modelVersion: '1.0.0',
                challenger: {
                  modelVersion: '9.9.9',
                  modelHash: forged,
                  score: 300,
                  band: 'E',
                  outcome: 'decline',
                  probabilityOfDefault: 0.9,
                },
              },
            },
    });
    await device.client(server.url).enrol(server.url, await enrolmentCode(server, 'MSA-01'));
    device.append(1, 'applicant.scored', 'NEX-FORGED00-0001-A'.slice(0, 17), {
      scoreId: 'SC-00000000000000F1',
      modelHash: `sha256:${'ab'.repeat(32)}`,
      band: 'B',
      outcome: 'approve',
      challenger: { modelHash: forged, modelVersion: '9.9.9', score: 300, band: 'E', outcome: 'decline' },
    });
    await device.client(server.url).syncOnce();
    const after = MonitoringReportSchema.parse((await server.admin('GET', '/v1/admin/monitoring')).body);
    expect(after.excluded.unknownChallengers).toBe(1);
    expect(after.models.flatMap((m) => m.challengers.map((c) => c.modelVersion))).toEqual(['1.1.0']);
  });

  it('refuses a release whose challenger another key signed, scores another specification or reuses the version', async () => {
    const forger = generateKeyPairSync('ed25519').privateKey;
    await publish('2026.12-c4', testChallengerDir({ modelVersion: '1.0.0' }));
    expect((await syncNow()).model.lastRejected?.reason).toBe("challenger: has the champion's model version 1.0.0");
    await publish('2026.12-c2', testChallengerDir({ key: forger }));
    await publish('2026.12-c3', testChallengerDir({ spec: UNCONSTRAINED_SPEC }));
    const status = await syncNow();
    // Both refused as a whole: the release with a good challenger stays in use.
    expect(status.model).toMatchObject({ current: '2026.12-c1' });
    const refused = t.ws.store.sqlite
      .prepare<[], { payload: string }>("SELECT payload FROM audit_log WHERE action = 'model.release_refused'")
      .all()
      .map((r) => (JSON.parse(r.payload) as { version: string }).version);
    expect(refused).toEqual(expect.arrayContaining(['2026.12-c2', '2026.12-c3', '2026.12-c4']));
    expect(status.model.lastRejected?.reason).toMatch(/^challenger: scores another feature specification/);
    const score = await scoreOne();
    expect(ChallengerScore.parse(JSON.parse(String(storedChallenger(score.scoreId)))).modelVersion).toBe('1.1.0');
  });

  it('ends shadow scoring with a release that carries no challenger', async () => {
    await publish('2026.12-r2');
    expect((await syncNow()).model).toMatchObject({ current: '2026.12-r2' });
    const score = await scoreOne();
    expect(storedChallenger(score.scoreId)).toBeNull();
    expect(auditPayload(score.scoreId)).not.toHaveProperty('challenger');
  });
  it('promotes the challenger as a four-eyes release of its own package, which branches install as champion', async () => {
    const challengerHash = ChallengerScore.parse(
      JSON.parse(
        String(
          t.ws.store.sqlite
            .prepare<[], { challenger: string }>('SELECT challenger FROM scores WHERE challenger IS NOT NULL LIMIT 1')
            .get()?.challenger,
        ),
      ),
    ).modelHash;
    const promote = { version: '2026.12-p1', from: '2026.12-c1' };
    // From the attacker's side: no session, an auditor, and other spellings of the path.
    const auditor = await server.addAdmin('ines', ['auditor']);
    expect((await auditor.request('POST', '/v1/admin/model-releases/promote', promote)).status).toBe(403);
    for (const path of [
      '/v1/admin/model-releases/promote',
      '/v1/%61dmin/model-releases/promote',
      '/v1/admin//model-releases/promote',
    ]) {
      const answer = await fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(promote),
      });
      expect(answer.status).toBeGreaterThanOrEqual(401);
      expect(answer.status).not.toBe(202);
    }
    // Only a published release that carries a challenger can be promoted from.
    expect(
      (await server.admin('POST', '/v1/admin/model-releases/promote', { ...promote, from: '2026.12-r2' })).status,
    ).toBe(409);
    expect(
      (await server.admin('POST', '/v1/admin/model-releases/promote', { ...promote, from: '2099.1' })).status,
    ).toBe(404);
    expect((await server.admin('POST', '/v1/admin/model-releases/promote', { ...promote, extra: 1 })).status).toBe(400);

    const proposed = await server.admin('POST', '/v1/admin/model-releases/promote', promote);
    expect(proposed.status).toBe(202);
    const proposal = (
      proposed.body as { proposal: { id: number; status: string; diff: { label: string; after: string | null }[] } }
    ).proposal;
    expect(proposal.status).toBe('pending');
    expect(proposal.diff).toEqual(
      expect.arrayContaining([{ label: 'Model version', before: '1.0.0', after: '1.1.0' }]),
    );
    // Nothing reaches a branch before the second release manager approves.
    expect((await syncNow()).model).toMatchObject({ current: '2026.12-r2' });
    // The proposer cannot approve it.
    expect((await server.admin('POST', `/v1/admin/proposals/${proposal.id}/approve`, { reason: 'mine' })).status).toBe(
      403,
    );
    const approved = await server.bob.request('POST', `/v1/admin/proposals/${proposal.id}/approve`, {
      reason: 'validated',
    });
    expect(approved.status).toBe(200);

    expect((await syncNow()).model).toMatchObject({ current: '2026.12-p1', previous: '2026.12-r2' });
    const score = await scoreOne();
    expect(score.modelHash).toBe(challengerHash);
    expect(score.modelVersion).toBe('1.1.0');
    expect(storedChallenger(score.scoreId)).toBeNull();
    const listed = await server.admin('GET', '/v1/admin/model-releases');
    expect((listed.body as { releases: { version: string; challengerVersion: string | null }[] }).releases).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ version: '2026.12-c1', challengerVersion: '1.1.0' }),
        expect.objectContaining({ version: '2026.12-p1', challengerVersion: null }),
      ]),
    );
  });
});
