/**
 * Pushes the audit chain after the last acknowledged entry, batch by batch, until the server holds the head. Resumable
 * by construction: the server's acknowledgement is the only progress, and a resend of stored entries has no effect.
 */
import { publicKeyFromBase64, verifySignature } from '../../../audit-chain';
import { ServerKeysResponseSchema } from '../../../shared/sync/auth';
import { countersignatureMessage, serverKeyMessage } from '../../../shared/sync/messages';
import { SyncErrorBodySchema } from '../../../shared/sync/errors';
import { PushResponseSchema, MAX_PUSH_CHECKPOINTS, type PushEntry, type PushRequest } from '../../../shared/sync/push';
import type { SyncSession } from './session';
import { parse } from './session';
import type { SyncState } from './state';
import { SyncError, type AttachmentFor, type ChainSource } from './types';

export interface PushOptions {
  readonly batchSize: number;
  /** Rough cap on a request body, well under the server's limit. */
  readonly maxBatchBytes: number;
}

export interface PushReport {
  readonly sent: number;
  readonly stored: number;
  readonly ackedSeq: number;
}

export async function pushAll(
  session: SyncSession,
  source: ChainSource,
  attachmentFor: AttachmentFor,
  state: SyncState,
  deviceId: string,
  options: PushOptions,
): Promise<PushReport> {
  let sent = 0;
  let stored = 0;
  let reported = false;
  source.sealHead?.();
  for (let round = 0; round < 1_000_000; round += 1) {
    const acked = state.ackedSeq;
    const entries = batch(source, attachmentFor, acked, options);
    const upTo = entries.at(-1)?.seq ?? acked;
    const countersigned = state.countersigned;
    // Normally every countersigned checkpoint is at or below the ack. A server restored from a backup acknowledges
    // less than it once countersigned: the checkpoints above its ack are offered again so it countersigns them anew.
    const checkpointsFrom = Math.min(countersigned?.seq ?? 0, acked);
    const checkpoints = source.checkpointsBetween(checkpointsFrom, upTo).slice(0, MAX_PUSH_CHECKPOINTS);
    if (reported && entries.length === 0 && checkpoints.length === 0) {
      break;
    }
    const anchorHash = countersigned === undefined ? undefined : source.hashAt(countersigned.seq);
    const request: PushRequest = {
      pushId: state.nextPushId(),
      head: source.head(),
      anchor:
        countersigned === undefined || anchorHash === undefined ? null : { seq: countersigned.seq, hash: anchorHash },
      entries,
      checkpoints,
    };
    const response = await session.call('POST', '/v1/sync/push', request);
    reported = true;
    if (response.status === 409) {
      const body = SyncErrorBodySchema.safeParse(response.body);
      if (body.success && body.data.error.code === 'OUT_OF_ORDER' && body.data.error.expectedSeq !== undefined) {
        // The server holds less (or more) than this device believed: resume from the server's word.
        state.ackedSeq = Math.min(body.data.error.expectedSeq - 1, source.head().seq);
        continue;
      }
      throw session.refusal(response);
    }
    const result = parse(PushResponseSchema, response.body);
    state.raisePushId(result.lastPushId);
    if (result.countersignatures.some((c) => state.serverKey(c.keyId) === undefined)) {
      await learnServerKeys(session, state);
    }
    for (const c of result.countersignatures) {
      verifyCountersignature(state, source, deviceId, c);
    }
    const best = result.countersignatures.reduce(
      (top, c) => (top === undefined || c.seq > top.seq ? c : top),
      state.countersigned,
    );
    if (best !== undefined) {
      state.countersigned = best;
    }
    sent += entries.length;
    stored += result.stored;
    state.ackedSeq = result.ackedSeq;
    // An empty push answered with a lower ack: the server holds less than it acknowledged (restored from a backup).
    // Its ack is the truth; the entries it lost are pushed again from this device's own chain, in this same run.
    if (entries.length === 0 && checkpoints.length === 0 && result.ackedSeq >= acked) {
      break;
    }
  }
  return { sent, stored, ackedSeq: state.ackedSeq };
}

function batch(source: ChainSource, attachmentFor: AttachmentFor, acked: number, options: PushOptions): PushEntry[] {
  const out: PushEntry[] = [];
  let bytes = 0;
  for (const record of source.entriesAfter(acked, options.batchSize)) {
    const attachment = attachmentFor(record);
    const entry: PushEntry = {
      seq: record.seq,
      ts: record.ts,
      actor: record.actor,
      action: record.action,
      subject: record.subject,
      payload: record.payload,
      prevHash: record.prevHash,
      hash: record.hash,
      ...(attachment === null ? {} : { attachment }),
    };
    bytes += 400 + record.payload.length + (attachment === null ? 0 : JSON.stringify(attachment).length);
    if (out.length > 0 && bytes > options.maxBatchBytes) {
      break;
    }
    out.push(entry);
  }
  return out;
}

/**
 * After a server key rotation: fetches the server's key list and trusts each new key only if a key this device
 * already trusts endorsed it (oldest first, so a chain of rotations is followed). Anything else is ignored, and the
 * countersignature it made then fails verification.
 */
export async function learnServerKeys(session: SyncSession, state: SyncState): Promise<void> {
  const response = await session.call('GET', '/v1/sync/server-keys');
  const { keys } = parse(ServerKeysResponseSchema, response.body);
  for (const k of keys) {
    if (state.serverKey(k.keyId) !== undefined || k.endorsedBy === null || k.endorsement === null) {
      continue;
    }
    const endorser = state.serverKey(k.endorsedBy);
    if (
      endorser !== undefined &&
      verifySignature(publicKeyFromBase64(endorser), serverKeyMessage(k.keyId, k.publicKey), k.endorsement)
    ) {
      state.trustServerKey(k.keyId, k.publicKey);
    }
  }
}

function verifyCountersignature(
  state: SyncState,
  source: ChainSource,
  deviceId: string,
  c: { seq: number; headHash: string; serverSignature: string; deviceId: string; keyId: string },
): void {
  const serverKey = state.serverKey(c.keyId);
  const message = countersignatureMessage(deviceId, c.seq, c.headHash);
  if (
    serverKey === undefined ||
    c.deviceId !== deviceId ||
    source.hashAt(c.seq) !== c.headHash ||
    !verifySignature(publicKeyFromBase64(serverKey), message, c.serverSignature)
  ) {
    throw new SyncError(
      'COUNTERSIGNATURE_INVALID',
      `The server's countersignature at entry ${c.seq} does not verify.`,
      false,
    );
  }
}
