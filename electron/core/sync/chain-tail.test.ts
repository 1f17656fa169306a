/**
 * The chain tail a recovering workstation takes back, checked from the attacker's side: a centre (or anyone between)
 * that returns anything but this device's own genuine continuation is refused with CHAIN_TAIL_INVALID. Real chains:
 * entries hashed with the audit-chain code, checkpoints signed with a real device key, countersignatures with a real
 * server Ed25519 key.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chainHash, checkpointMessage, GENESIS_HASH } from '../../../audit-chain';
import { countersignatureMessage } from '../../../shared/sync/messages';
import type { ChainPoint } from '../../../shared/sync/push';
import type { ChainPage, ChainTailCheckpoint, ChainTailEntry } from '../../../shared/sync/recovery';
import { generateDeviceKey, loadDeviceKey, type DeviceKey } from '../crypto/device-key';
import { verifyChainPage } from './chain-tail';

const server = generateKeyPairSync('ed25519');
const serverPublic = server.publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
const KEY_ID = 'cs-test-0001';
const trusted = (keyId: string): string | undefined => (keyId === KEY_ID ? serverPublic : undefined);

function entries(from: ChainPoint, count: number): ChainTailEntry[] {
  const out: ChainTailEntry[] = [];
  let prev = from;
  for (let i = 0; i < count; i += 1) {
    const seq = prev.seq + 1;
    const body = {
      seq,
      ts: `2026-12-02T10:00:${String(seq % 60).padStart(2, '0')}.000Z`,
      actor: 'OFF-0123456789ABCDEF',
      action: 'applicant.scored',
      subject: `NEX-${String(seq).padStart(8, '0')}`,
      payload: `{"band":"B","score":${String(600 + seq)}}`,
      prevHash: prev.hash,
    };
    const hash = chainHash(prev.hash, body);
    out.push({ ...body, hash });
    prev = { seq, hash };
  }
  return out;
}

function checkpoint(device: DeviceKey, entry: ChainTailEntry, serverKey = server.privateKey): ChainTailCheckpoint {
  return {
    seq: entry.seq,
    headHash: entry.hash,
    signature: device.sign(checkpointMessage(device.deviceId, entry.seq, entry.hash)),
    countersignature: {
      deviceId: device.deviceId,
      seq: entry.seq,
      headHash: entry.hash,
      serverSignature: sign(
        null,
        Buffer.from(countersignatureMessage(device.deviceId, entry.seq, entry.hash), 'utf8'),
        serverKey,
      ).toString('base64'),
      keyId: KEY_ID,
      countersignedAt: '2026-12-02T10:05:00.000Z',
    },
  };
}

function page(device: DeviceKey, from: ChainPoint, count: number): ChainPage {
  const list = entries(from, count);
  const last = list.at(-1);
  return {
    entries: list,
    checkpoints: last === undefined ? [] : [checkpoint(device, last)],
    head: last === undefined ? from : { seq: last.seq, hash: last.hash },
    lastPushId: 7,
    more: false,
  };
}

const device = loadDeviceKey(generateDeviceKey());
const restored: ChainPoint = { seq: 0, hash: GENESIS_HASH };
const verify = (p: ChainPage, from: ChainPoint = restored, who: DeviceKey = device) =>
  verifyChainPage(p, from, who, trusted);
const refused = (p: ChainPage, from: ChainPoint = restored, who: DeviceKey = device) => {
  expect(() => verify(p, from, who)).toThrow(expect.objectContaining({ code: 'CHAIN_TAIL_INVALID' }) as Error);
};

describe('verifyChainPage', () => {
  it('accepts the genuine continuation and answers its last point', () => {
    const genuine = page(device, restored, 5);
    expect(verify(genuine)).toEqual({ seq: 5, hash: genuine.entries[4]?.hash });
    // A second page continues the first.
    const next = page(device, { seq: 5, hash: genuine.entries[4]?.hash ?? '' }, 3);
    expect(verify(next, { seq: 5, hash: genuine.entries[4]?.hash ?? '' }).seq).toBe(8);
  });

  it('refuses an edited entry, whether or not it was re-hashed', () => {
    const p = page(device, restored, 4);
    const edited = structuredClone(p);
    const second = edited.entries[1];
    if (second === undefined) {
      throw new Error('fixture');
    }
    second.payload = '{"band":"A","score":900}';
    refused(edited);
    // Re-hashed: its own hash matches again, but the next entry no longer follows it.
    second.hash = chainHash(second.prevHash, second);
    refused(edited);
  });

  it('refuses a re-hashed last entry through the checkpoint over it', () => {
    const p = structuredClone(page(device, restored, 3));
    const last = p.entries[2];
    if (last === undefined) {
      throw new Error('fixture');
    }
    last.actor = 'OFF-FFFFFFFFFFFFFFFF';
    last.hash = chainHash(last.prevHash, last);
    refused(p);
  });

  it('refuses gaps, duplicates, reordering and a start that does not continue the restored head', () => {
    const p = page(device, restored, 4);
    const [a, b, c, d] = p.entries;
    if (a === undefined || b === undefined || c === undefined || d === undefined) {
      throw new Error('fixture');
    }
    refused({ ...p, entries: [a, c, d], checkpoints: [] });
    refused({ ...p, entries: [a, b, b, c], checkpoints: [] });
    refused({ ...p, entries: [a, c, b, d], checkpoints: [] });
    refused(page(device, restored, 2), { seq: 0, hash: 'f'.repeat(64) });
    refused(page(device, { seq: 3, hash: 'a'.repeat(64) }, 2), restored);
  });

  it("refuses another device's genuine chain and checkpoints signed by another key", () => {
    const other = loadDeviceKey(generateDeviceKey());
    refused(page(other, restored, 3));
    const p = page(device, restored, 3);
    const last = p.entries[2];
    if (last === undefined) {
      throw new Error('fixture');
    }
    const foreign = checkpoint(other, last);
    refused({ ...p, checkpoints: [{ ...foreign, countersignature: checkpoint(device, last).countersignature }] });
    // A checkpoint over a hash that is not on the page.
    refused({ ...p, checkpoints: [{ ...checkpoint(device, last), headHash: 'b'.repeat(64) }] });
  });

  it('refuses countersignatures by an untrusted key, for another device or for another entry', () => {
    const p = page(device, restored, 3);
    const [first, , last] = p.entries;
    if (first === undefined || last === undefined) {
      throw new Error('fixture');
    }
    const rogue = generateKeyPairSync('ed25519').privateKey;
    refused({ ...p, checkpoints: [checkpoint(device, last, rogue)] });
    const genuine = checkpoint(device, last);
    refused({
      ...p,
      checkpoints: [{ ...genuine, countersignature: { ...genuine.countersignature, keyId: 'cs-other-0001' } }],
    });
    refused({
      ...p,
      checkpoints: [
        { ...genuine, countersignature: { ...genuine.countersignature, deviceId: 'DEV-0000000000000000' } },
      ],
    });
    refused({ ...p, checkpoints: [{ ...genuine, countersignature: checkpoint(device, first).countersignature }] });
  });

  it('refuses any single-character change to any field of any entry', () => {
    const genuine = page(device, restored, 6);
    const fields = ['ts', 'actor', 'action', 'subject', 'payload', 'prevHash', 'hash'] as const;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5 }),
        fc.constantFrom(...fields),
        fc.nat(),
        fc.constantFrom('0', '1', 'x', 'Z', '"', ' '),
        (index, field, at, replacement) => {
          const p = structuredClone(genuine);
          const entry = p.entries[index];
          const value = entry?.[field];
          if (entry === undefined || typeof value !== 'string' || value.length === 0) {
            return;
          }
          const position = at % value.length;
          if (value[position] === replacement) {
            return;
          }
          entry[field] = `${value.slice(0, position)}${replacement}${value.slice(position + 1)}`;
          refused(p);
        },
      ),
      { numRuns: 400 },
    );
  });
});
