/**
 * The workstation's update policy, stated and enforced here (electron/main only adapts electron-updater to
 * `UpdaterPort`):
 *  - a release is considered only once the bank's signature, the channel and the version check out, and only when
 *    this workstation's rollout bucket is inside the channel's percentage (release-check.ts);
 *  - it downloads in the background; the feed and the downloaded file must match the signed release byte for byte;
 *  - it installs at sign-out or at the next start, never while an intake or decision form has unsaved input, and
 *    never during a session (the officer sees "update ready" and the version meanwhile);
 *  - every refusal is audited (once per release and reason) and shown on the status panel.
 */
import type { KeyObject } from 'node:crypto';
import type { Clock } from '../clock';
import type { Store } from '../store';
import { getMeta, setMeta, deleteMeta } from '../system/meta-store';
import type { SignedAppRelease } from '../../../shared/sync/signed-release';
import type { UpdateStatePart } from '../../../shared/ipc/system';
import {
  checkDownloadedFile,
  checkFeedMatches,
  checkSignedAppRelease,
  inRollout,
  rolloutBucket,
  type FeedInfo,
  type RunningApp,
  type UpdateRefusalCode,
} from './release-check';

/** What electron/main provides on top of electron-updater (autoDownload and autoInstallOnAppQuit off). */
export interface UpdaterPort {
  /** The feed's current release for this channel (electron-updater's checkForUpdates), or null if none is newer. */
  checkFeed(): Promise<FeedInfo | null>;
  /** Downloads the release the feed offered; resolves with the downloaded file's path. */
  download(): Promise<string>;
  /** Whether quitting the app installs the downloaded update (the "next start" path). */
  setInstallOnQuit(enabled: boolean): void;
  /** Quits and installs now. */
  quitAndInstall(): void;
}

export type UpdateStatus =
  | { readonly state: 'current'; readonly channel: string; readonly running: string }
  | {
      readonly state: 'refused';
      readonly channel: string;
      readonly running: string;
      readonly version: string | null;
      readonly code: UpdateRefusalCode;
      readonly reason: string;
      readonly at: string;
    }
  | {
      readonly state: 'not-yet';
      readonly channel: string;
      readonly running: string;
      readonly version: string;
      readonly bucket: number;
      readonly percent: number;
    }
  | { readonly state: 'downloading'; readonly channel: string; readonly running: string; readonly version: string }
  | {
      readonly state: 'ready';
      readonly channel: string;
      readonly running: string;
      readonly version: string;
      readonly notes: string;
    }
  | {
      readonly state: 'installing';
      readonly channel: string;
      readonly running: string;
      readonly version: string;
      readonly moment: InstallMoment;
    };

export type InstallMoment = 'sign-out' | 'start';

/** The version an update was made ready for: at the next start, running it means it was installed. */
const PENDING_KEY = 'update.pending_version';

export interface UpdateServiceOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly port: UpdaterPort;
  readonly trustedKey: KeyObject;
  readonly running: RunningApp;
  readonly deviceId: string;
}

export class UpdateService {
  readonly #o: UpdateServiceOptions;
  #status: UpdateStatus;
  #ready: SignedAppRelease | null = null;
  #busy = false;
  #lastRefusal = '';
  readonly #unsaved = new Set<string>();

  constructor(options: UpdateServiceOptions) {
    this.#o = options;
    this.#status = { state: 'current', channel: options.running.channel, running: options.running.version };
  }

  status(): UpdateStatus {
    return this.#status;
  }

  /** The offer could not be read at all (too large, unreachable, redirected): shown and audited like a refusal. */
  unreadable(code: 'OVERSIZED' | 'UNAVAILABLE', reason: string): void {
    this.#refuse(null, code, reason);
  }

  /** At start: audits an update that was made ready and is now what runs. */
  recordStart(): void {
    const { store } = this.#o;
    const pending = store.read(() => getMeta(store.db, PENDING_KEY));
    if (pending === undefined) {
      return;
    }
    store.transaction(() => {
      deleteMeta(store.db, PENDING_KEY);
      store.audit.append({
        actor: 'system',
        action: pending === this.#o.running.version ? 'app.update_installed' : 'app.update_not_installed',
        payload: { version: pending, running: this.#o.running.version, channel: this.#o.running.channel },
      });
    });
  }

  /** A form of connection `connectionId` has (or no longer has) input that is not saved. */
  setUnsavedInput(connectionId: string, unsaved: boolean): void {
    if (unsaved) {
      this.#unsaved.add(connectionId);
    } else {
      this.#unsaved.delete(connectionId);
    }
    if (this.#ready !== null) {
      this.#o.port.setInstallOnQuit(this.#unsaved.size === 0);
    }
  }

  /**
   * The central API's signed release for this channel (as text) and the channel's rollout percentage. Downloads and
   * verifies when everything checks out; otherwise refuses (audited) or waits for the rollout to reach this device.
   */
  async offer(text: string, rolloutPercent: number): Promise<UpdateStatus> {
    if (this.#busy) {
      return this.#status;
    }
    this.#busy = true;
    try {
      await this.#consider(text, rolloutPercent);
    } catch (error) {
      const version = this.#status.state === 'downloading' ? this.#status.version : null;
      // The message of a network or disk error carries no personal data; it is cut to keep the audit entry small.
      const detail = error instanceof Error ? error.message.slice(0, 200) : 'unknown error';
      this.#refuse(version, 'UNAVAILABLE', `the update could not be fetched: ${detail}`);
    } finally {
      this.#busy = false;
    }
    return this.#status;
  }

  async #consider(text: string, rolloutPercent: number): Promise<void> {
    const { running, trustedKey, deviceId, port } = this.#o;
    const checked = checkSignedAppRelease(text, trustedKey, running);
    if (!checked.ok) {
      if (checked.code === 'CURRENT') {
        this.#status = { ...this.#base(), state: 'current' };
        return;
      }
      this.#refuse(null, checked.code, checked.reason);
      return;
    }
    const release = checked.value;
    const version = release.release.version;
    if (this.#ready !== null && this.#ready.release.version === version) {
      return;
    }
    if (!inRollout(deviceId, rolloutPercent)) {
      this.#status = {
        ...this.#base(),
        state: 'not-yet',
        version,
        bucket: rolloutBucket(deviceId),
        percent: rolloutPercent,
      };
      return;
    }
    this.#status = { ...this.#base(), state: 'downloading', version };
    const feed = await port.checkFeed();
    if (feed === null) {
      this.#refuse(version, 'FEED_MISMATCH', 'the update feed offers nothing newer than the running version');
      return;
    }
    const matches = checkFeedMatches(feed, release);
    if (!matches.ok) {
      this.#refuse(version, matches.code, matches.reason);
      return;
    }
    const file = await port.download();
    const downloaded = await checkDownloadedFile(file, release);
    if (!downloaded.ok) {
      this.#refuse(version, downloaded.code, downloaded.reason);
      return;
    }
    const { store } = this.#o;
    store.transaction(() => {
      setMeta(store.db, PENDING_KEY, version);
      store.audit.append({
        actor: 'system',
        action: 'app.update_ready',
        payload: { version, channel: release.release.channel, serial: release.serial, keyId: release.keyId },
      });
    });
    this.#ready = release;
    this.#status = { ...this.#base(), state: 'ready', version, notes: release.release.notes };
    port.setInstallOnQuit(this.#unsaved.size === 0);
  }

  /**
   * Installs a ready update if the moment allows it: at sign-out or start, with no unsaved input anywhere. Returns
   * whether the install was started.
   */
  installAt(moment: InstallMoment): boolean {
    const { port, store } = this.#o;
    if (this.#ready === null) {
      return false;
    }
    if (this.#unsaved.size > 0) {
      port.setInstallOnQuit(false);
      return false;
    }
    const version = this.#ready.release.version;
    store.transaction(() =>
      store.audit.append({
        actor: 'system',
        action: 'app.update_installing',
        payload: { version, moment },
      }),
    );
    this.#status = { ...this.#base(), state: 'installing', version, moment };
    port.quitAndInstall();
    return true;
  }

  #base(): { channel: string; running: string } {
    return { channel: this.#o.running.channel, running: this.#o.running.version };
  }

  #refuse(version: string | null, code: UpdateRefusalCode, reason: string): void {
    const key = `${code}:${version ?? ''}:${reason}`;
    this.#status = { ...this.#base(), state: 'refused', version, code, reason, at: this.#o.clock.now().toISOString() };
    if (key === this.#lastRefusal) {
      return;
    }
    this.#lastRefusal = key;
    const { store } = this.#o;
    store.transaction(() =>
      store.audit.append({
        actor: 'system',
        action: 'app.update_refused',
        payload: { code, version, channel: this.#o.running.channel },
      }),
    );
  }
}

/** The status panel's view of the update (shared/ipc/system.ts `UpdateStatePart`); null: this build never updates. */
export function updateStatePart(status: UpdateStatus | null): UpdateStatePart {
  if (status === null) {
    return { state: 'none', detail: 'This build does not update itself.' };
  }
  switch (status.state) {
    case 'current':
      return { state: 'none', detail: `Version ${status.running} is the latest on the ${status.channel} channel.` };
    case 'not-yet':
      return {
        state: 'none',
        detail: `Version ${status.version} is being rolled out to ${String(status.percent)}% of the ${status.channel} channel; this workstation is not in it yet.`,
      };
    case 'downloading':
      return { state: 'downloading', version: status.version };
    case 'ready':
      return { state: 'ready', version: status.version };
    case 'refused':
      return { state: 'refused', version: status.version, code: status.code, reason: status.reason };
    case 'installing':
      return { state: 'installing', version: status.version, moment: status.moment };
  }
}
