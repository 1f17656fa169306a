/**
 * The install policy on a real encrypted workstation (its audit chain records every step). Only electron-updater is
 * replaced, by a port that serves a real file from disk, so the feed and the download can be tampered with.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { signRelease } from '../../../models/package/release-signing';
import { createTempWorkstation, type TempWorkstation } from '../testing/temp-workstation';
import type { FeedInfo } from './release-check';
import { inRollout } from './release-check';
import { UpdateService, updateStatePart, type UpdaterPort } from './update-service';

const bank = generateKeyPairSync('ed25519');
let temp: TempWorkstation | undefined;
afterEach(() => {
  temp?.cleanup();
  temp = undefined;
});

interface FakeUpdater extends UpdaterPort {
  feed: FeedInfo | null;
  file: string;
  installOnQuit: boolean;
  installs: number;
  downloads: number;
}

function setUp(version = '1.3.0') {
  const t = createTempWorkstation();
  temp = t;
  const bytes = randomBytes(2048);
  const name = `NEXIS-Setup-${version}.exe`;
  const file = join(t.dir, name);
  writeFileSync(file, bytes);
  const sha512 = createHash('sha512').update(bytes).digest('base64');
  const port: FakeUpdater = {
    feed: { version, files: [{ url: name, sha512, size: bytes.length }] },
    file,
    installOnQuit: false,
    installs: 0,
    downloads: 0,
    checkFeed() {
      return Promise.resolve(port.feed);
    },
    download() {
      port.downloads += 1;
      return Promise.resolve(port.file);
    },
    setInstallOnQuit(enabled) {
      port.installOnQuit = enabled;
    },
    quitAndInstall() {
      port.installs += 1;
    },
  };
  const service = new UpdateService({
    store: t.ws.store,
    clock: t.clock,
    port,
    trustedKey: bank.publicKey,
    running: { version: '1.2.0', channel: 'pilot' },
    deviceId: t.ws.deviceKey.deviceId,
  });
  const releaseText = JSON.stringify(
    signRelease(
      {
        kind: 'app',
        serial: 3,
        release: { version, channel: 'pilot', files: [{ name, sha512, size: bytes.length }], notes: 'Fixes.' },
      },
      bank.privateKey,
    ),
  );
  const actions = (prefix = 'app.update') =>
    t.ws.store.sqlite
      .prepare<[string], { action: string }>("SELECT action FROM audit_log WHERE action LIKE ? || '%' ORDER BY seq")
      .all(prefix)
      .map((r) => r.action);
  return { t, port, service, releaseText, file, actions };
}

describe('the update policy', () => {
  it('downloads a verified release, shows it ready, and installs at sign-out', async () => {
    const { port, service, releaseText, actions } = setUp();
    expect(await service.offer(releaseText, 100)).toMatchObject({ state: 'ready', version: '1.3.0', notes: 'Fixes.' });
    expect(port.installOnQuit).toBe(true);
    expect(port.installs).toBe(0); // never during the session
    expect(service.installAt('sign-out')).toBe(true);
    expect(port.installs).toBe(1);
    expect(service.status()).toMatchObject({ state: 'installing', version: '1.3.0', moment: 'sign-out' });
    expect(actions()).toEqual(['app.update_ready', 'app.update_installing']);
  });

  it('never installs while a form has unsaved input, and installs once it is saved', async () => {
    const { port, service, releaseText } = setUp();
    service.setUnsavedInput('officer-1', true);
    await service.offer(releaseText, 100);
    expect(port.installOnQuit).toBe(false);
    expect(service.installAt('sign-out')).toBe(false);
    expect(port.installs).toBe(0);
    service.setUnsavedInput('officer-1', false);
    expect(port.installOnQuit).toBe(true);
    expect(service.installAt('start')).toBe(true);
  });

  it('refuses a feed that offers other bytes than the signed release, audited once however often it is offered', async () => {
    const { port, service, releaseText, actions } = setUp();
    const first = port.feed?.files[0];
    if (port.feed === null || first === undefined) {
      throw new Error('fixture');
    }
    port.feed = { ...port.feed, files: [{ ...first, sha512: createHash('sha512').update('x').digest('base64') }] };
    expect(await service.offer(releaseText, 100)).toMatchObject({ state: 'refused', code: 'FEED_MISMATCH' });
    await service.offer(releaseText, 100);
    expect(port.downloads).toBe(0);
    expect(service.installAt('sign-out')).toBe(false);
    expect(actions()).toEqual(['app.update_refused']);
  });

  it('refuses a download altered after electron-updater checked it', async () => {
    const { port, service, releaseText, file } = setUp();
    writeFileSync(file, randomBytes(2048));
    expect(await service.offer(releaseText, 100)).toMatchObject({ state: 'refused', code: 'FILE_MISMATCH' });
    expect(port.installOnQuit).toBe(false);
    expect(service.installAt('start')).toBe(false);
  });

  it('waits outside the rollout percentage and proceeds once it includes this device', async () => {
    const { t, service, releaseText, port } = setUp();
    expect(inRollout(t.ws.deviceKey.deviceId, 0)).toBe(false);
    expect(await service.offer(releaseText, 0)).toMatchObject({ state: 'not-yet', percent: 0 });
    expect(port.downloads).toBe(0);
    expect(await service.offer(releaseText, 100)).toMatchObject({ state: 'ready' });
  });

  it('reports a failed download without installing, and succeeds on the next offer', async () => {
    const { port, service, releaseText } = setUp();
    const download = port.download.bind(port);
    port.download = () => Promise.reject(new Error('socket hang up'));
    expect(await service.offer(releaseText, 100)).toMatchObject({ state: 'refused', code: 'UNAVAILABLE' });
    port.download = download;
    expect(await service.offer(releaseText, 100)).toMatchObject({ state: 'ready' });
  });

  it('audits at the next start whether the ready version is the one now running', async () => {
    const { t, service, releaseText, actions } = setUp();
    await service.offer(releaseText, 100);
    const after = new UpdateService({
      store: t.ws.store,
      clock: t.clock,
      port: {
        checkFeed: () => Promise.resolve(null),
        download: () => Promise.reject(new Error('no')),
        setInstallOnQuit: () => undefined,
        quitAndInstall: () => undefined,
      },
      trustedKey: bank.publicKey,
      running: { version: '1.3.0', channel: 'pilot' },
      deviceId: t.ws.deviceKey.deviceId,
    });
    after.recordStart();
    after.recordStart();
    expect(actions()).toEqual(['app.update_ready', 'app.update_installed']);
    expect(await after.offer(releaseText, 100)).toMatchObject({ state: 'current' });
  });

  it('tells the status panel what the officer needs: ready with its version, the refusal reason, installing', async () => {
    const { t, port, service, releaseText } = setUp();
    expect(updateStatePart(null)).toEqual({ state: 'none', detail: 'This build does not update itself.' });
    expect(t.ws.status().update).toEqual({ state: 'none', detail: 'This build does not update itself.' });
    expect(updateStatePart(service.status())).toMatchObject({ state: 'none' });
    port.feed = null;
    await service.offer(releaseText, 100);
    expect(updateStatePart(service.status())).toEqual({
      state: 'refused',
      version: '1.3.0',
      code: 'FEED_MISMATCH',
      reason: 'the update feed offers nothing newer than the running version',
    });
    const again = setUp();
    await again.service.offer(again.releaseText, 100);
    expect(updateStatePart(again.service.status())).toEqual({ state: 'ready', version: '1.3.0' });
    again.service.installAt('sign-out');
    expect(updateStatePart(again.service.status())).toEqual({
      state: 'installing',
      version: '1.3.0',
      moment: 'sign-out',
    });
    t.cleanup();
  });
});
