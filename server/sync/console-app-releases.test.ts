/**
 * App releases from the sync console, with real parts: an encrypted workstation (createWorkstation, driven through
 * IPC) signed in to the central API (PGlite) as carol. A release signed with the bank's release key is verified and
 * proposed, a forged one is refused before anything is sent, bob approves over the admin API, the console shows the
 * offer, and a rollout change is proposed the same way. The local trail keeps codes and versions only.
 */
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyObject } from 'node:crypto';
import { signRelease } from '../../models/package/release-signing';
import { ADMIN, createTempWorkstation, type TempWorkstation } from '../../electron/core/testing/temp-workstation';
import type { SignedAppRelease } from '../../shared/sync/signed-release';
import { openDatabase, type Database } from '../db/database';
import { testReleaseKey, testTrustOptions } from '../testing/releases';
import { startTestServer, type TestServer } from '../testing/test-server';

async function ok<T>(
  result: Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>,
): Promise<T> {
  const settled = await result;
  if (!settled.ok) {
    throw new Error(`${settled.error.code}: ${settled.error.message}`);
  }
  return settled.value;
}

describe('app releases from the sync console (PGlite)', () => {
  let database: Database;
  let server: TestServer;
  let updatesDir: string;
  let t: TempWorkstation;

  /** An installer in the pilot updates folder and the release naming it, signed with `key`. */
  const signedApp = (version: string, serial: number, key: KeyObject = testReleaseKey()): SignedAppRelease => {
    const bytes = randomBytes(32 * 1024);
    const name = `nexis-workstation-${version}-win-x64.exe`;
    writeFileSync(join(updatesDir, 'pilot', name), bytes);
    const files = [{ name, sha512: createHash('sha512').update(bytes).digest('base64'), size: bytes.length }];
    return signRelease({ kind: 'app', serial, release: { version, channel: 'pilot', files, notes: '' } }, key);
  };
  const pendingKinds = async (): Promise<string[]> => {
    const answer = await server.admin('GET', '/v1/admin/proposals?status=pending');
    return (answer.body as { proposals: { kind: string }[] }).proposals.map((p) => p.kind);
  };
  const localActions = (): { action: string; payload: string }[] =>
    t.ws.store.sqlite
      .prepare<[], { action: string; payload: string }>(
        "SELECT action, payload FROM audit_log WHERE action LIKE 'console.app_%' ORDER BY seq",
      )
      .all();

  beforeAll(async () => {
    updatesDir = mkdtempSync(join(tmpdir(), 'nexis-console-updates-'));
    mkdirSync(join(updatesDir, 'pilot'));
    database = await openDatabase({ kind: 'pglite' });
    server = await startTestServer(database, { updatesDir });
    t = createTempWorkstation({ syncIntervalMs: 600_000, ...testTrustOptions() });
    await ok(t.call('admin', 'auth:setup', ADMIN));
    await ok(
      t.call('admin', 'console:signIn', {
        username: 'carol',
        password: server.carol.password,
        totp: server.carol.nextTotp(),
        serverUrl: server.url,
      }),
    );
  }, 60_000);

  afterAll(async () => {
    t.cleanup();
    await server.close();
    await database.close();
    rmSync(updatesDir, { recursive: true, force: true });
  });

  it('offers nothing on either channel before a release is approved', async () => {
    expect(await ok(t.call('admin', 'console:appReleases', {}))).toEqual({
      channels: [
        { channel: 'pilot', offer: null },
        { channel: 'general', offer: null },
      ],
    });
  });

  it('refuses a release signed with another key, or altered after signing, before anything is sent', async () => {
    const forger = generateKeyPairSync('ed25519').privateKey;
    const forged = await t.call('admin', 'console:publishAppRelease', {
      signed: signedApp('1.3.0', 1, forger),
      rolloutPercent: 25,
    });
    expect(forged).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(forged.ok ? '' : forged.error.message).toMatch(/^The app release does not verify: signed with key/);
    const genuine = signedApp('1.3.0', 1);
    const altered = await t.call('admin', 'console:publishAppRelease', {
      signed: { ...genuine, release: { ...genuine.release, channel: 'general' } },
      rolloutPercent: 25,
    });
    expect(altered).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await pendingKinds()).not.toContain('app.release');
    expect(localActions()).toEqual([]);
  });

  it('proposes a genuine release, which bob approves, and the console then shows the offer', async () => {
    const signed = signedApp('1.3.0', 1);
    const proposed = await ok(t.call('admin', 'console:publishAppRelease', { signed, rolloutPercent: 25 }));
    expect(proposed.proposal).toMatchObject({ kind: 'app.release', status: 'pending' });
    expect(proposed.proposal.diff).toContainEqual({ label: 'Rollout', before: null, after: '25 %' });
    // Nothing is offered until a second release manager approves, and carol cannot approve her own proposal.
    expect((await ok(t.call('admin', 'console:appReleases', {}))).channels[0]?.offer).toBeNull();
    expect(
      await t.call('admin', 'console:decide', { proposalId: proposed.proposal.id, decision: 'approve', reason: 'x' }),
    ).toMatchObject({ ok: false });
    const approved = await server.bob.request('POST', `/v1/admin/proposals/${proposed.proposal.id}/approve`, {
      reason: 'Tested on the pilot bench',
    });
    expect(approved.status).toBe(200);

    const { channels } = await ok(t.call('admin', 'console:appReleases', {}));
    expect(channels.find((c) => c.channel === 'general')?.offer).toBeNull();
    const offer = channels.find((c) => c.channel === 'pilot')?.offer;
    expect(offer).toMatchObject({ rolloutPercent: 25, signed: { serial: 1, release: { version: '1.3.0' } } });
    expect(offer?.signed).toEqual(signed);
    expect(localActions().map((e) => [e.action, JSON.parse(e.payload) as unknown])).toEqual([
      ['console.app_release_proposed', { channel: 'pilot', version: '1.3.0', serial: '1', rolloutPercent: '25' }],
    ]);
  });

  it('proposes a rollout change for the release in force, offered once approved', async () => {
    const proposed = await ok(
      t.call('admin', 'console:changeRollout', { channel: 'pilot', version: '1.3.0', rolloutPercent: 60 }),
    );
    expect(proposed.proposal).toMatchObject({ kind: 'app.rollout', status: 'pending' });
    expect((await ok(t.call('admin', 'console:appReleases', {}))).channels[0]?.offer?.rolloutPercent).toBe(25);
    const approved = await server.bob.request('POST', `/v1/admin/proposals/${proposed.proposal.id}/approve`, {
      reason: 'No crash reports from the first quarter',
    });
    expect(approved.status).toBe(200);
    const pilot = (await ok(t.call('admin', 'console:appReleases', {}))).channels[0];
    expect(pilot).toMatchObject({ channel: 'pilot', offer: { rolloutPercent: 60, signed: { serial: 1 } } });
    expect(
      localActions()
        .map((e) => [e.action, JSON.parse(e.payload) as unknown])
        .at(-1),
    ).toEqual(['console.app_rollout_proposed', { channel: 'pilot', version: '1.3.0', rolloutPercent: '60' }]);
  });
});
