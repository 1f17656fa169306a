/**
 * The chain walker both programs verify with (docs/audit-format.md, "Verification algorithm"). It holds one entry at a
 * time, so the caller may stream rows from any store; it never parses a payload, because the stored text is already
 * canonical and goes into the hash verbatim.
 */
import type { KeyObject } from 'node:crypto';
import type { AuditEnvelope } from './canonical';
import { checkpointMessage } from './checkpoint';
import { chainHash, GENESIS_HASH } from './hash';
import { verifySignature } from './keys';

export type ChainVerification =
  | { ok: true; entries: number; headSeq: number; headHash: string; checkpoints: number }
  | { ok: false; firstBadSeq: number; reason: string; entries: number };

/** A stored entry: the envelope plus the two hashes the store keeps. */
export interface ChainEntry extends AuditEnvelope {
  readonly prevHash: string;
  readonly hash: string;
}

/** A stored checkpoint; whatever else a store keeps with it (device id, key id) the trust callback reads. */
export interface ChainCheckpoint {
  readonly seq: number;
  readonly headHash: string;
  readonly signature: string;
}

/** Who a checkpoint must have been signed by, or why no key is trusted for it. */
export type CheckpointSigner =
  | {
      readonly ok: true;
      /** The id the signed message names: a device id, or CENTRAL. */
      readonly signerId: string;
      readonly publicKey: KeyObject;
    }
  | { readonly ok: false; readonly reason: string };

export type CheckpointTrust<C extends ChainCheckpoint> = (checkpoint: C) => CheckpointSigner;

/** One walk's state: entries are checked in order, each with the checkpoint at its sequence if there is one. */
class ChainWalk<C extends ChainCheckpoint> {
  readonly #trust: CheckpointTrust<C>;
  #expectedSeq = 1;
  #prevHash = GENESIS_HASH;
  #entries = 0;
  #checkpoints = 0;

  constructor(trust: CheckpointTrust<C>) {
    this.#trust = trust;
  }

  get headSeq(): number {
    return this.#expectedSeq - 1;
  }

  /** Checks one entry and its checkpoint; a failure names the sequence the walk expected. */
  step(entry: ChainEntry, checkpoint: C | undefined): ChainVerification | null {
    const problem = this.#problem(entry, checkpoint);
    if (problem !== null) {
      return { ok: false, firstBadSeq: this.#expectedSeq, reason: problem, entries: this.#entries };
    }
    this.#prevHash = entry.hash;
    this.#expectedSeq += 1;
    this.#entries += 1;
    return null;
  }

  /** `beyond` is the first checkpoint past the last entry, if any: the tail was cut off after it was signed. */
  finish(beyond: C | undefined): ChainVerification {
    const headSeq = this.headSeq;
    if (beyond !== undefined) {
      return {
        ok: false,
        firstBadSeq: headSeq + 1,
        reason: `log truncated: a signed checkpoint covers entry ${beyond.seq} but the chain ends at ${headSeq}`,
        entries: this.#entries,
      };
    }
    return { ok: true, entries: this.#entries, headSeq, headHash: this.#prevHash, checkpoints: this.#checkpoints };
  }

  #problem(entry: ChainEntry, checkpoint: C | undefined): string | null {
    const { seq } = entry;
    if (seq !== this.#expectedSeq) {
      return `sequence gap: expected entry ${this.#expectedSeq}, found ${seq} (entries deleted or renumbered)`;
    }
    if (entry.prevHash !== this.#prevHash) {
      return `prev_hash does not match the hash of entry ${seq - 1} (entries reordered, replaced or removed)`;
    }
    const hash = chainHash(this.#prevHash, entry);
    if (hash !== entry.hash) {
      return 'entry content does not match its hash (entry altered)';
    }
    if (checkpoint === undefined) {
      return null;
    }
    this.#checkpoints += 1;
    return this.#checkpointProblem(checkpoint, hash);
  }

  #checkpointProblem(checkpoint: C, hash: string): string | null {
    if (checkpoint.headHash !== hash) {
      return `signed checkpoint at entry ${checkpoint.seq} does not match the chain (history rewritten)`;
    }
    const signer = this.#trust(checkpoint);
    if (!signer.ok) {
      return signer.reason;
    }
    const message = checkpointMessage(signer.signerId, checkpoint.seq, checkpoint.headHash);
    if (!verifySignature(signer.publicKey, message, checkpoint.signature)) {
      return `checkpoint signature at entry ${checkpoint.seq} is invalid`;
    }
    return null;
  }
}

/**
 * Walks entries in ascending `seq` against checkpoints in ascending `seq`. A checkpoint at a sequence the chain never
 * reaches reports truncation; one below sequence 1 names no entry and is ignored.
 */
export function walkChain<C extends ChainCheckpoint>(
  entries: Iterable<ChainEntry>,
  checkpoints: Iterable<C>,
  trust: CheckpointTrust<C>,
): ChainVerification {
  const walk = new ChainWalk(trust);
  const pending = checkpoints[Symbol.iterator]();
  let next = pending.next();
  for (const entry of entries) {
    while (!next.done && next.value.seq < entry.seq) {
      next = pending.next();
    }
    let checkpoint: C | undefined;
    if (!next.done && next.value.seq === entry.seq) {
      checkpoint = next.value;
      next = pending.next();
    }
    const failure = walk.step(entry, checkpoint);
    if (failure !== null) {
      // A database cursor stays busy until its iterator is closed.
      pending.return?.();
      return failure;
    }
  }
  while (!next.done && next.value.seq <= walk.headSeq) {
    next = pending.next();
  }
  const verdict = walk.finish(next.done === true ? undefined : next.value);
  if (next.done !== true) {
    pending.return?.();
  }
  return verdict;
}

/** `walkChain` over asynchronous sources, e.g. pages read from a database server one query at a time. */
export async function walkChainAsync<C extends ChainCheckpoint>(
  entries: AsyncIterable<ChainEntry> | Iterable<ChainEntry>,
  checkpoints: AsyncIterable<C> | Iterable<C>,
  trust: CheckpointTrust<C>,
): Promise<ChainVerification> {
  const walk = new ChainWalk(trust);
  const pending =
    Symbol.asyncIterator in checkpoints ? checkpoints[Symbol.asyncIterator]() : checkpoints[Symbol.iterator]();
  let next = await pending.next();
  for await (const entry of entries) {
    while (!next.done && next.value.seq < entry.seq) {
      next = await pending.next();
    }
    let checkpoint: C | undefined;
    if (!next.done && next.value.seq === entry.seq) {
      checkpoint = next.value;
      next = await pending.next();
    }
    const failure = walk.step(entry, checkpoint);
    if (failure !== null) {
      await pending.return?.();
      return failure;
    }
  }
  while (!next.done && next.value.seq <= walk.headSeq) {
    next = await pending.next();
  }
  const verdict = walk.finish(next.done === true ? undefined : next.value);
  if (next.done !== true) {
    await pending.return?.();
  }
  return verdict;
}
