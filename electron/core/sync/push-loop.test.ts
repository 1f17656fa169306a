/**
 * The push loop against a central server that loses its newest entries (restored from a backup): one sync run pushes
 * the lost entries again from the device's own chain and has the lost checkpoints countersigned anew.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, chainHash, checkpointMessage, GENESIS_HASH } from '../../../audit-chain';
import { countersignatureMessage } from '../../../shared/sync/messages';
import { PushRequestSchema, type Countersignature } from '../../../shared/sync/push';
import type { AuditRecord } from '../audit/audit-log';
import { generateDeviceKey, loadDeviceKey } from '../crypto/device-key';
import { pushAll } from './push-loop';
import { SyncSession } from './session';
import { memoryStateStore, SyncState } from './state';
import type { SyncTransport } from './transport';
import type { ChainSource } from './types';

const SERVER_KEY_ID = 'sig-2026-12-01-abcdef';
const CHECKPOINT_EVERY = 5;

/**
 * A device chain in memory, hashed and checkpointed as the audit log does; `length` entries are made up front and
 * the first `grow(n)` of them are written so far.
 */
function chain(
  device: ReturnType<typeof loadDeviceKey>,
  length: number,
): ChainSource & { entries: AuditRecord[]; grow(n: number): void } {
  const entries: AuditRecord[] = [];
  const checkpoints: { seq: number; headHash: string; signature: string }[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= length; seq += 1) {
    const record = {
      seq,
      ts: new Date(Date.UTC(2026, 10, 25, 8, 0, seq)).toISOString(),
      actor: 'OFF-00000000000000AA',
      action: 'score.computed',
      subject: `APP-${String(seq).padStart(8, '0')}`,
      payload: canonicalJson({ n: seq }),
      prevHash,
    };
    const hash = chainHash(prevHash, record);
    entries.push({ ...record, hash });
    if (seq % CHECKPOINT_EVERY === 0) {
      checkpoints.push({ seq, headHash: hash, signature: device.sign(checkpointMessage(device.deviceId, seq, hash)) });
    }
    prevHash = hash;
  }
  let written = length;
  return {
    entries,
    grow: (n) => {
      written = n;
    },
    head: () => {
      const last = entries[written - 1];
      return last === undefined ? { seq: 0, hash: GENESIS_HASH } : { seq: last.seq, hash: last.hash };
    },
    entriesAfter: (after, limit) => entries.slice(after, Math.min(after + limit, written)),
    checkpointsBetween: (after, upTo) => checkpoints.filter((c) => c.seq > after && c.seq <= Math.min(upTo, written)),
    hashAt: (seq) => (seq === 0 ? GENESIS_HASH : seq <= written ? entries[seq - 1]?.hash : undefined),
  };
}

/**
 * The server's acknowledgement rules in miniature: appends only the entry after its ack (else 409 OUT_OF_ORDER with
 * the entry it expects), countersigns pushed checkpoints its stored chain covers, with a real Ed25519 key.
 */
function central(deviceId: string) {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const stored: string[] = [];
  const countersigned = new Map<number, Countersignature>();
  let lastPushId = 0;
  const pushes: { entries: number[]; checkpoints: number[] }[] = [];
  const transport: SyncTransport = {
    request: (method, path, options) => {
      expect(`${method} ${path}`).toBe('POST /v1/sync/push');
      const push = PushRequestSchema.parse(options?.body);
      pushes.push({ entries: push.entries.map((e) => e.seq), checkpoints: push.checkpoints.map((c) => c.seq) });
      lastPushId = Math.max(lastPushId, push.pushId);
      for (const entry of push.entries) {
        if (entry.seq > stored.length + 1) {
          return Promise.resolve({
            status: 409,
            body: {
              error: {
                code: 'OUT_OF_ORDER',
                message: `Expected entry ${stored.length + 1} next.`,
                expectedSeq: stored.length + 1,
              },
            },
          });
        }
        if (entry.seq === stored.length + 1) {
          stored.push(entry.hash);
        }
      }
      const signatures = push.checkpoints
        .filter((c) => c.seq <= stored.length && stored[c.seq - 1] === c.headHash)
        .map((c) => {
          const message = countersignatureMessage(deviceId, c.seq, c.headHash);
          const made = countersigned.get(c.seq) ?? {
            deviceId,
            seq: c.seq,
            headHash: c.headHash,
            serverSignature: sign(null, Buffer.from(message, 'utf8'), privateKey).toString('base64'),
            keyId: SERVER_KEY_ID,
            countersignedAt: '2026-12-02T08:00:00.000Z',
          };
          countersigned.set(c.seq, made);
          return made;
        });
      return Promise.resolve({
        status: 200,
        body: {
          ackedSeq: stored.length,
          ackedHash: stored.at(-1) ?? GENESIS_HASH,
          stored: 0,
          lastPushId,
          countersignatures: signatures,
        },
      });
    },
  };
  return {
    transport,
    publicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
    stored,
    countersigned,
    pushes,
    /** Back to the state of a backup holding `seq` entries: later entries and countersignatures are gone. */
    restoreTo(seq: number) {
      stored.length = seq;
      for (const s of [...countersigned.keys()]) {
        if (s > seq) {
          countersigned.delete(s);
        }
      }
    },
  };
}

function setup(length: number) {
  const device = loadDeviceKey(generateDeviceKey());
  const source = chain(device, length);
  const server = central(device.deviceId);
  const state = new SyncState(memoryStateStore());
  state.saveEnrolment('http://127.0.0.1:1', SERVER_KEY_ID, server.publicKey, 'NBO-01');
  state.saveToken('nx2.tok-x.token.mac', '2999-01-01T00:00:00.000Z');
  const session = new SyncSession(server.transport, state, device, () => new Date('2026-12-02T08:00:00.000Z'));
  const push = () =>
    pushAll(session, source, () => null, state, device.deviceId, { batchSize: 4, maxBatchBytes: 1_000_000 });
  return { source, server, state, push };
}

describe('push loop', () => {
  it('pushes everything the server lost in the same run when an empty push is acknowledged lower', async () => {
    const { source, server, state, push } = setup(23);
    expect((await push()).ackedSeq).toBe(23);
    expect(state.countersigned?.seq).toBe(20);
    server.restoreTo(12);
    server.pushes.length = 0;

    const report = await push();
    expect(report.ackedSeq).toBe(23);
    expect(server.stored).toEqual(source.entries.map((e) => e.hash));
    // The first push is empty (nothing after 23 to send); the server's ack of 12 starts the re-push at 13.
    expect(server.pushes[0]).toEqual({ entries: [], checkpoints: [] });
    expect(server.pushes[1]?.entries[0]).toBe(13);
    // Checkpoints 15 and 20 were countersigned before the loss; they are offered and countersigned again.
    expect([...server.countersigned.keys()].sort((a, b) => a - b)).toEqual([5, 10, 15, 20]);
    expect(state.countersigned?.seq).toBe(20);
    expect(state.ackedSeq).toBe(23);
  });

  it('resumes from the server after a loss when the device has new entries too (409 OUT_OF_ORDER)', async () => {
    const { source, server, state, push } = setup(30);
    source.grow(18);
    expect((await push()).ackedSeq).toBe(18);
    server.restoreTo(7);
    source.grow(30);
    server.pushes.length = 0;

    expect((await push()).ackedSeq).toBe(30);
    expect(server.pushes[0]?.entries[0]).toBe(19);
    expect(server.pushes[1]?.entries[0]).toBe(8);
    expect(server.stored).toEqual(source.entries.map((e) => e.hash));
    expect([...server.countersigned.keys()].sort((a, b) => a - b)).toEqual([5, 10, 15, 20, 25, 30]);
    expect(state.countersigned?.seq).toBe(30);
  });

  it('stops after one empty push when the server holds the head, offering no checkpoint twice', async () => {
    const { server, push } = setup(12);
    await push();
    server.pushes.length = 0;
    expect(await push()).toEqual({ sent: 0, stored: 0, ackedSeq: 12 });
    expect(server.pushes).toEqual([{ entries: [], checkpoints: [] }]);
  });
});
