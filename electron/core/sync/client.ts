/**
 * The workstation's sync client: enrolment, then `syncOnce` = push the audit chain, then pull and apply the feed.
 * It holds no timers (scheduler.ts does) and never throws anything but SyncError.
 */
import { enrolmentMessage } from '../../../shared/sync/messages';
import { EnrolResponseSchema } from '../../../shared/sync/auth';
import { parse, SyncSession } from './session';
import { pullAll, type PullReport } from './pull-loop';
import { learnServerKeys, pushAll, type PushReport } from './push-loop';
import { ChainPageSchema } from '../../../shared/sync/recovery';
import type { ChainPoint } from '../../../shared/sync/push';
import { lastCountersignature, verifyChainPage, type ChainTail } from './chain-tail';
import type { SyncState } from './state';
import type { SyncResponse, SyncTransport } from './transport';
import type { UpdateChannel } from '../../../shared/sync/release-bodies';
import { DeviceReportAnswerSchema, DeviceReportSchema, type DeviceReport } from '../../../shared/sync/fleet';
import { SyncError, type AttachmentFor, type ChainSource, type DeviceSigner, type PullHandlers } from './types';

export interface SyncClientOptions {
  readonly transport: SyncTransport;
  readonly source: ChainSource;
  readonly attachmentFor: AttachmentFor;
  readonly state: SyncState;
  readonly device: DeviceSigner;
  readonly handlers: PullHandlers;
  readonly clock?: () => Date;
  readonly batchSize?: number;
  readonly maxBatchBytes?: number;
  /** App updates: after each sync, the channel's signed offer goes to the update policy (electron/core/updates). */
  readonly updates?: UpdateOfferSink;
  /** Fleet view: after each sync, the workstation's self-report (versions, sizes, error counts) goes to the server. */
  readonly fleetReport?: FleetReportSource;
  /** True while a restored workstation has not yet taken its chain tail back (push would fork it). */
  readonly recoveryPending?: () => boolean;
}

/** Where a recovered chain tail is written (the workstation's audit store). */
export interface ChainTailSink {
  head(): ChainPoint;
  hashAt(seq: number): string | undefined;
  /** Writes the tail verbatim and runs `commit` (the sync state) in the same transaction. */
  apply(tail: ChainTail, commit: () => void): void;
}

export interface RecoveredTail {
  readonly fromSeq: number;
  readonly toSeq: number;
  readonly entries: number;
  readonly tail: ChainTail;
}

export interface FleetReportSource {
  build(): DeviceReport;
  /** The server stored the report: counters "since the last sync" start again from zero. */
  delivered(report: DeviceReport): void;
}

export interface UpdateOfferSink {
  readonly channel: UpdateChannel;
  /** The signed release as text, with the channel's rollout percentage. */
  offer(text: string, rolloutPercent: number): void;
  /** The offer could not be read (too large, unreachable, redirected): nothing is installed from it. */
  unreadable(code: 'OVERSIZED' | 'UNAVAILABLE', reason: string): void;
}

/** A signed app release is a few kilobytes (release-check.ts refuses more than 64 KiB); the offer wraps it. */
const MAX_OFFER_BYTES = 80 * 1024;

export interface SyncReport {
  readonly push: PushReport;
  readonly pull: PullReport;
}

export class SyncClient {
  readonly #options: SyncClientOptions;
  readonly #session: SyncSession;
  readonly #clock: () => Date;

  constructor(options: SyncClientOptions) {
    this.#options = options;
    this.#clock = options.clock ?? (() => new Date());
    this.#session = new SyncSession(options.transport, options.state, options.device, this.#clock);
  }

  get state(): SyncState {
    return this.#options.state;
  }

  /** One-time enrolment with the code an administrator created for this branch. */
  async enrol(serverUrl: string, code: string): Promise<{ deviceId: string; branchId: string }> {
    return this.#guard(async () => {
      const device = this.#options.device;
      const signature = device.sign(enrolmentMessage(code, device.deviceId, device.publicKey));
      const response = await this.#session.open('POST', '/v1/enrol', {
        code,
        deviceId: device.deviceId,
        publicKey: device.publicKey,
        signature,
      });
      const enrolled = parse(EnrolResponseSchema, response.body);
      if (enrolled.deviceId !== device.deviceId) {
        throw new SyncError('PROTOCOL', 'The server enrolled a different device id.', false);
      }
      this.#options.state.saveEnrolment(serverUrl, enrolled.serverKeyId, enrolled.serverPublicKey, enrolled.branchId);
      this.#options.state.saveToken(enrolled.accessToken.token, enrolled.accessToken.expiresAt);
      return { deviceId: enrolled.deviceId, branchId: enrolled.branchId };
    });
  }

  /**
   * After a restore from a recovery bundle (docs/data-lifecycle.md, "Recovery drill"): re-enrols with the recovery
   * code an administrator issued for this device, takes back the entries this device pushed after the bundle was
   * written (chain-tail.ts checks every one), and hands them to `sink`, which writes them with the sync state in one
   * transaction. The next push then continues the centre's head: no fork.
   */
  async recover(code: string, sink: ChainTailSink): Promise<RecoveredTail> {
    return this.#guard(async () => {
      const { state, device } = this.#options;
      if (!state.enrolled) {
        throw new SyncError(
          'NOT_ENROLLED',
          'The restored workstation was never enrolled with a central server.',
          false,
        );
      }
      const signature = device.sign(enrolmentMessage(code, device.deviceId, device.publicKey));
      const response = await this.#session.open('POST', '/v1/enrol', {
        code,
        deviceId: device.deviceId,
        publicKey: device.publicKey,
        signature,
      });
      const enrolled = parse(EnrolResponseSchema, response.body);
      if (enrolled.deviceId !== device.deviceId || enrolled.branchId !== state.branchId) {
        throw new SyncError('PROTOCOL', 'The server re-enrolled a different device or branch.', false);
      }
      state.saveToken(enrolled.accessToken.token, enrolled.accessToken.expiresAt);
      state.clearRevoked();
      if (state.serverKey(enrolled.serverKeyId) !== enrolled.serverPublicKey) {
        // A rotation since the bundle: the new key is trusted only if one this device trusts endorsed it.
        await learnServerKeys(this.#session, state);
      }
      const from = sink.head();
      let head = from;
      let centre: ChainPoint = from;
      let lastPushId = 0;
      const tail: { entries: ChainTail['entries'][number][]; checkpoints: ChainTail['checkpoints'][number][] } = {
        entries: [],
        checkpoints: [],
      };
      for (;;) {
        const page = parse(
          ChainPageSchema,
          (await this.#session.call('GET', `/v1/sync/chain?after=${String(head.seq)}`)).body,
        );
        head = verifyChainPage(page, head, device, (keyId) => state.serverKey(keyId));
        tail.entries.push(...page.entries);
        tail.checkpoints.push(...page.checkpoints);
        centre = page.head;
        lastPushId = page.lastPushId;
        if (!page.more || page.entries.length === 0) {
          break;
        }
      }
      if (centre.seq > head.seq) {
        throw new SyncError(
          'CHAIN_TAIL_INVALID',
          `The centre acknowledges entry ${centre.seq} but returned entries up to ${head.seq} only.`,
          true,
        );
      }
      // The centre may know less than the bundle holds (entries written after the last push): those go up at the
      // next push. What it acknowledged must then be this chain's own entry.
      const centreHash = centre.seq === head.seq ? head.hash : sink.hashAt(centre.seq);
      if (centreHash !== centre.hash) {
        throw new SyncError(
          'CHAIN_TAIL_INVALID',
          `The centre's head at entry ${centre.seq} is not this device's entry: the chains have forked.`,
          false,
        );
      }
      const countersigned = lastCountersignature(tail);
      sink.apply(tail, () => {
        state.ackedSeq = centre.seq;
        state.raisePushId(lastPushId);
        if (countersigned !== undefined && countersigned.seq > (state.countersigned?.seq ?? 0)) {
          state.countersigned = countersigned;
        }
      });
      return { fromSeq: from.seq, toSeq: head.seq, entries: tail.entries.length, tail };
    });
  }

  async syncOnce(): Promise<SyncReport> {
    return this.#guard(async () => {
      const { state } = this.#options;
      if (!state.enrolled) {
        throw new SyncError('NOT_ENROLLED', 'This workstation is not enrolled with a central server.', false);
      }
      if (this.#options.recoveryPending?.() === true) {
        throw new SyncError(
          'RECOVERY_PENDING',
          'This workstation was restored from a recovery bundle: re-enrol it with its recovery code first.',
          false,
        );
      }
      if (state.revoked) {
        throw new SyncError('DEVICE_REVOKED', 'This workstation was revoked by the bank; sync is off.', false);
      }
      const push = await pushAll(
        this.#session,
        this.#options.source,
        this.#options.attachmentFor,
        state,
        this.#options.device.deviceId,
        { batchSize: this.#options.batchSize ?? 500, maxBatchBytes: this.#options.maxBatchBytes ?? 4 * 1024 * 1024 },
      );
      const pull = await pullAll(this.#session, state, this.#options.handlers);
      state.recordError(undefined);
      state.recordSuccess(this.#clock());
      if (this.#options.updates !== undefined) {
        await this.#checkForUpdate(this.#options.updates);
      }
      if (this.#options.fleetReport !== undefined) {
        await this.#sendReport(this.#options.fleetReport);
      }
      return { push, pull };
    });
  }

  /** A device access token for electron-updater's requests to the update feed. */
  accessToken(): Promise<string> {
    return this.#session.accessToken();
  }

  /** Never fails the sync it follows: push and pull are done, and an update is only ever optional. */
  async #checkForUpdate(sink: UpdateOfferSink): Promise<void> {
    let response: SyncResponse;
    try {
      response = await this.#session.call('GET', `/v1/sync/updates/${sink.channel}/release`, undefined, {
        maxBytes: MAX_OFFER_BYTES,
        alsoAccept: [404],
      });
    } catch (error) {
      const tooLarge = error instanceof SyncError && error.code === 'RESPONSE_TOO_LARGE';
      sink.unreadable(
        tooLarge ? 'OVERSIZED' : 'UNAVAILABLE',
        error instanceof SyncError ? error.message : 'the update offer could not be read',
      );
      return;
    }
    if (response.status === 404) {
      return;
    }
    const body = response.body as { signed?: unknown; rolloutPercent?: unknown } | null;
    const percent = typeof body?.rolloutPercent === 'number' ? body.rolloutPercent : 0;
    sink.offer(JSON.stringify(body?.signed ?? body), percent);
  }

  /**
   * Never fails the sync it follows either: the report is for the console only. A report that does not pass its own
   * schema is not sent (the server would refuse it); a server without the fleet route answers 404 and is left alone.
   */
  async #sendReport(source: FleetReportSource): Promise<void> {
    const report = DeviceReportSchema.safeParse(source.build());
    if (!report.success) {
      return;
    }
    try {
      const response = await this.#session.call('POST', '/v1/sync/report', report.data, { alsoAccept: [404] });
      if (response.status !== 404 && DeviceReportAnswerSchema.safeParse(response.body).success) {
        source.delivered(report.data);
      }
    } catch {
      // Unreachable between push and report: the next round sends a fresh report.
    }
  }

  async #guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      const syncError =
        error instanceof SyncError ? error : new SyncError('SERVER', 'Sync failed unexpectedly; will retry.', true);
      this.#options.state.recordError({
        code: syncError.code,
        message: syncError.message,
        at: this.#clock().toISOString(),
      });
      throw syncError;
    }
  }
}
