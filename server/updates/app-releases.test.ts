/**
 * App releases through the real central API (PGlite): four-eyes publication, the offer and electron-updater's feed
 * for devices only, the files served byte for byte, and refusals of what a workstation would refuse anyway.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signRelease } from '../../models/package/release-signing';
import { checkFeedMatches, checkSignedAppRelease } from '../../electron/core/updates/release-check';
import type { AppUpdateOffer } from '../../shared/sync/app-updates';
import { openDatabase, type Database } from '../db/database';
import { SimDevice } from '../testing/sim-device';
import { ADMIN, createTempWorkstation } from '../../electron/core/testing/temp-workstation';
import type { Workstation } from '../../electron/core/workstation';
import type { FeedInfo } from '../../electron/core/updates/release-check';
import type { UpdaterPort } from '../../electron/core/updates/update-service';
import { enrolmentCode, startTestServer, type TestServer } from '../testing/test-server';

const bank = generateKeyPairSync('ed25519');

function buildFiles(dir: string, version: string) {
  const bytes = randomBytes(64 * 1024);
  const name = `NEXIS-Setup-${version}.exe`;
  mkdirSync(join(dir, 'pilot'), { recursive: true });
  writeFileSync(join(dir, 'pilot', name), bytes);
  return { bytes, files: [{ name, sha512: createHash('sha512').update(bytes).digest('base64'), size: bytes.length }] };
}

function signedApp(version: string, serial: number, files: { name: string; sha512: string; size: number }[]) {
  return signRelease(
    { kind: 'app', serial, release: { version, channel: 'pilot', files, notes: `Release ${version}.` } },
    bank.privateKey,
  );
}

describe('app releases on the central API', () => {
  let database: Database;
  let server: TestServer;
  let updatesDir: string;
  let token: string;

  const device = async (path: string) => {
    const response = await fetch(`${server.url}/v1/sync/updates/${path}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()) };
  };

  beforeAll(async () => {
    updatesDir = mkdtempSync(join(tmpdir(), 'nexis-updates-'));
    database = await openDatabase({ kind: 'pglite' });
    server = await startTestServer(database, { updatesDir });
    const sim = new SimDevice();
    await sim.client(server.url).enrol(server.url, await enrolmentCode(server, 'NBO-01'));
    token = sim.state.token(new Date(), 0) ?? '';
  });
  afterAll(async () => {
    await server.close();
    await database.close();
    rmSync(updatesDir, { recursive: true, force: true });
  });

  it('offers nothing before a release is approved, and needs a second release manager to approve', async () => {
    const { files } = buildFiles(updatesDir, '1.3.0');
    expect((await device('pilot/release')).status).toBe(404);
    const proposed = await server.admin('POST', '/v1/admin/app-releases', {
      signed: signedApp('1.3.0', 1, files),
      rolloutPercent: 25,
    });
    expect(proposed.status).toBe(202);
    const { proposal } = proposed.body as { proposal: { id: number; diff: { label: string; after: string | null }[] } };
    expect(proposal.diff).toContainEqual({ label: 'Rollout', before: null, after: '25 %' });
    expect((await device('pilot/release')).status).toBe(404);
    const self = await server.alice.request('POST', `/v1/admin/proposals/${proposal.id}/approve`, { reason: 'mine' });
    expect(self.status).toBe(403);
    const approved = await server.bob.request('POST', `/v1/admin/proposals/${proposal.id}/approve`, {
      reason: 'Tested on the pilot bench',
    });
    expect(approved.status).toBe(200);
  });

  it('serves the signed offer, the feed and the files to devices, and what they serve verifies', async () => {
    const offer = JSON.parse((await device('pilot/release')).bytes.toString('utf8')) as AppUpdateOffer;
    expect(offer.rolloutPercent).toBe(25);
    const verdict = checkSignedAppRelease(JSON.stringify(offer.signed), bank.publicKey, {
      version: '1.2.0',
      channel: 'pilot',
    });
    expect(verdict.ok).toBe(true);
    const feed = JSON.parse((await device('pilot/latest.yml')).bytes.toString('utf8')) as {
      version: string;
      files: { url: string; sha512: string; size: number }[];
    };
    if (!verdict.ok) {
      throw new Error(verdict.reason);
    }
    expect(checkFeedMatches(feed, verdict.value).ok).toBe(true);
    const file = await device(`pilot/${feed.files[0]?.url ?? ''}`);
    expect(file.status).toBe(200);
    expect(createHash('sha512').update(file.bytes).digest('base64')).toBe(feed.files[0]?.sha512);
  });

  it('serves nothing to callers without a device token, nor files the release does not name', async () => {
    const anonymous = await fetch(`${server.url}/v1/sync/updates/pilot/latest.yml`);
    expect(anonymous.status).toBe(401);
    const asAdmin = await fetch(`${server.url}/v1/sync/updates/pilot/release`, {
      headers: { authorization: `Bearer ${server.adminToken}` },
    });
    expect(asAdmin.status).toBe(401);
    writeFileSync(join(updatesDir, 'pilot', 'unlisted.exe'), 'x');
    expect((await device('pilot/unlisted.exe')).status).toBe(404);
    for (const path of ['pilot/..%2F..%2Fetc%2Fpasswd', 'pilot/%2e%2e', 'other/latest.yml', 'pilot/a%00b']) {
      expect([400, 404]).toContain((await device(path)).status);
    }
  });

  it('does not follow a symbolic link in the updates folder out of it', async () => {
    const outside = join(updatesDir, 'secret.txt');
    writeFileSync(outside, 'not an installer');
    const { files, bytes } = buildFiles(updatesDir, '1.4.0');
    const linked = files[0];
    if (linked === undefined) {
      throw new Error('fixture');
    }
    const proposed = await server.publish('POST', '/v1/admin/app-releases', {
      signed: signedApp('1.4.0', 2, files),
      rolloutPercent: 100,
    });
    expect(proposed.status).toBe(201);
    rmSync(join(updatesDir, 'pilot', linked.name));
    symlinkSync(outside, join(updatesDir, 'pilot', linked.name));
    expect((await device(`pilot/${linked.name}`)).status).toBe(404);
    rmSync(join(updatesDir, 'pilot', linked.name));
    writeFileSync(join(updatesDir, 'pilot', linked.name), bytes);
  });

  it('refuses at approval an older release, or files missing or different from the signed ones', async () => {
    const { files } = buildFiles(updatesDir, '1.5.0');
    const older = await server.publish('POST', '/v1/admin/app-releases', {
      signed: signedApp('1.3.5', 3, files),
      rolloutPercent: 10,
    });
    expect(older.status).toBe(409);
    const [file] = files;
    if (file === undefined) {
      throw new Error('fixture');
    }
    const wrongHash = [{ ...file, sha512: createHash('sha512').update('other').digest('base64') }];
    expect(
      (
        await server.publish('POST', '/v1/admin/app-releases', {
          signed: signedApp('1.5.0', 3, wrongHash),
          rolloutPercent: 10,
        })
      ).status,
    ).toBe(409);
    const missing = [{ ...file, name: 'NEXIS-Setup-9.9.9.exe' }];
    expect(
      (
        await server.publish('POST', '/v1/admin/app-releases', {
          signed: signedApp('1.5.0', 3, missing),
          rolloutPercent: 10,
        })
      ).status,
    ).toBe(409);
  });

  it('reaches an enrolled workstation through sync: offer, feed and download verified, ready to install', async () => {
    const downloads = mkdtempSync(join(tmpdir(), 'nexis-downloads-'));
    const opened: { ws?: Workstation } = {};
    const port: UpdaterPort = {
      async checkFeed() {
        const access = await opened.ws?.sync.updateFeed('pilot');
        if (!access) {
          return null;
        }
        const response = await fetch(`${access.url}/latest.yml`, {
          headers: { authorization: `Bearer ${access.token}` },
        });
        return (await response.json()) as FeedInfo;
      },
      async download() {
        const access = await opened.ws?.sync.updateFeed('pilot');
        const feed = await this.checkFeed();
        const name = feed?.files[0]?.url ?? '';
        const response = await fetch(`${access?.url ?? ''}/${name}`, {
          headers: { authorization: `Bearer ${access?.token ?? ''}` },
        });
        const file = join(downloads, name);
        writeFileSync(file, Buffer.from(await response.arrayBuffer()));
        return file;
      },
      setInstallOnQuit: () => undefined,
      quitAndInstall: () => undefined,
    };
    const t = createTempWorkstation({
      appVersion: '1.2.0',
      modelPublicKey: bank.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
      updates: { channel: 'pilot', port },
    });
    opened.ws = t.ws;
    try {
      await t.call('admin', 'auth:setup', ADMIN);
      const code = await enrolmentCode(server, 'NBO-02');
      expect((await t.call('admin', 'sync:enrol', { serverUrl: server.url, code })).ok).toBe(true);
      await t.ws.sync.syncNow();
      await expect.poll(() => t.ws.updates?.status(), { timeout: 10_000 }).toMatchObject({ state: 'ready' });
      expect(t.ws.updates?.status()).toMatchObject({ version: '1.4.0', notes: 'Release 1.4.0.' });
    } finally {
      t.cleanup();
      rmSync(downloads, { recursive: true, force: true });
    }
  });

  it('changes the rollout of the release in force (four eyes), and refuses it for another version', async () => {
    expect(
      (
        await server.publish('POST', '/v1/admin/app-releases/rollout', {
          channel: 'pilot',
          version: '1.3.0',
          rolloutPercent: 50,
        })
      ).status,
    ).toBe(409);
    const raised = await server.publish('POST', '/v1/admin/app-releases/rollout', {
      channel: 'pilot',
      version: '1.4.0',
      rolloutPercent: 60,
    });
    expect(raised.status).toBe(201);
    const offer = JSON.parse((await device('pilot/release')).bytes.toString('utf8')) as AppUpdateOffer;
    expect(offer).toMatchObject({ rolloutPercent: 60, signed: { release: { version: '1.4.0' } } });
    const listed = await server.admin('GET', '/v1/admin/app-releases');
    expect(listed.body).toMatchObject({ channels: [{ channel: 'pilot' }, { channel: 'general', offer: null }] });
  });
});
