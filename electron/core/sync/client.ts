/**
 * The workstation's sync client: enrolment, then `syncOnce` = push the audit chain, then pull and apply the feed.
 * It holds no timers (scheduler.ts does) and never throws anything but SyncError.
 */
import { enrolmentMessage } from '../../../shared/sync/messages';
import { EnrolResponseSchema } from '../../../shared/sync/auth';
import { parse, SyncSession } from './session';
import { pullAll, type PullReport } from './pull-loop';
import { pushAll, type PushReport } from './push-loop';
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

  async syncOnce(): Promise<SyncReport> {
    return this.#guard(async () => {
      const { state } = this.#options;
      if (!state.enrolled) {
        throw new SyncError('NOT_ENROLLED', 'This workstation is not enrolled with a central server.', false);
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
