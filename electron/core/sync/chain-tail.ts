/**
 * A recovered workstation takes back the tail of its own chain (shared/sync/recovery.ts). The bundle it was restored
 * from ends at some entry S; before the laptop died it may have pushed entries S+1…H. Writing a new S+1 would fork
 * the chain at the centre, so the device fetches S+1…H, and accepts them only if they continue what it holds:
 * consecutive sequence numbers, each prev_hash the hash before it, each hash recomputed from the entry's own text,
 * each checkpoint signed by this device's key over the entry at its seq, and each countersignature made by a server
 * key the device already trusts. A centre that returned anything else (another device's entries, edited entries, a
 * forged checkpoint) gets CHAIN_TAIL_INVALID and nothing is written.
 */
import { chainHash, checkpointMessage, publicKeyFromBase64, verifySignature } from '../../../audit-chain';
import { countersignatureMessage } from '../../../shared/sync/messages';
import type { ChainPoint, Countersignature } from '../../../shared/sync/push';
import type { ChainPage, ChainTailCheckpoint, ChainTailEntry } from '../../../shared/sync/recovery';
import { SyncError } from './types';

export interface ChainTail {
  readonly entries: readonly ChainTailEntry[];
  readonly checkpoints: readonly ChainTailCheckpoint[];
}

const invalid = (message: string): SyncError => new SyncError('CHAIN_TAIL_INVALID', message, false);

/** Checks one page against the point it must continue; answers the page's last point. */
export function verifyChainPage(
  page: ChainPage,
  from: ChainPoint,
  device: { readonly deviceId: string; readonly publicKey: string },
  serverKey: (keyId: string) => string | undefined,
): ChainPoint {
  let head = from;
  const hashes = new Map<number, string>();
  for (const entry of page.entries) {
    if (entry.seq !== head.seq + 1) {
      throw invalid(`The centre returned entry ${entry.seq} where entry ${head.seq + 1} was due.`);
    }
    if (entry.prevHash !== head.hash) {
      throw invalid(`Entry ${entry.seq} does not follow entry ${head.seq} of this device's chain.`);
    }
    if (chainHash(entry.prevHash, entry) !== entry.hash) {
      throw invalid(`Entry ${entry.seq} is not the entry this device wrote: its hash does not match its text.`);
    }
    head = { seq: entry.seq, hash: entry.hash };
    hashes.set(entry.seq, entry.hash);
  }
  const deviceKey = publicKeyFromBase64(device.publicKey);
  for (const checkpoint of page.checkpoints) {
    const at = hashes.get(checkpoint.seq);
    if (at === undefined || at !== checkpoint.headHash) {
      throw invalid(`The checkpoint at entry ${checkpoint.seq} is not over an entry of this page.`);
    }
    if (!verifySignature(deviceKey, checkpointMessage(device.deviceId, checkpoint.seq, at), checkpoint.signature)) {
      throw invalid(`The checkpoint at entry ${checkpoint.seq} was not signed by this device's key.`);
    }
    verifyCountersignature(checkpoint.countersignature, device.deviceId, checkpoint.seq, at, serverKey);
  }
  return head;
}

function verifyCountersignature(
  c: Countersignature,
  deviceId: string,
  seq: number,
  headHash: string,
  serverKey: (keyId: string) => string | undefined,
): void {
  const key = serverKey(c.keyId);
  if (
    key === undefined ||
    c.deviceId !== deviceId ||
    c.seq !== seq ||
    c.headHash !== headHash ||
    !verifySignature(publicKeyFromBase64(key), countersignatureMessage(deviceId, seq, headHash), c.serverSignature)
  ) {
    throw invalid(`The centre's countersignature at entry ${seq} does not verify with a key this device trusts.`);
  }
}

/** The highest countersignature of a tail, if it has any. */
export function lastCountersignature(tail: ChainTail): Countersignature | undefined {
  return tail.checkpoints.reduce<Countersignature | undefined>(
    (best, c) => (best === undefined || c.seq > best.seq ? c.countersignature : best),
    undefined,
  );
}
