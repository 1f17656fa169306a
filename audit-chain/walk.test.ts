import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical';
import { checkpointMessage } from './checkpoint';
import { chainHash, GENESIS_HASH } from './hash';
import { walkChain, walkChainAsync, type ChainCheckpoint, type ChainEntry, type CheckpointTrust } from './walk';

interface Checkpoint extends ChainCheckpoint {
  readonly keyId: string;
}

const signer = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519');
const SIGNER_ID = 'DEV-0123456789ABCDEF';

const signWith = (key: KeyObject, seq: number, headHash: string): string =>
  sign(null, Buffer.from(checkpointMessage(SIGNER_ID, seq, headHash), 'utf8'), key).toString('base64');

/** `n` entries with a checkpoint every `every`, built with the shared hash exactly as an appender does. */
function chain(n: number, every: number): { entries: ChainEntry[]; checkpoints: Checkpoint[] } {
  const entries: ChainEntry[] = [];
  const checkpoints: Checkpoint[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq += 1) {
    const envelope = {
      seq,
      ts: new Date(Date.UTC(2026, 10, 25, 8, 0, seq)).toISOString(),
      actor: 'OFF-0123456789ABCDEF',
      action: 'test.event',
      subject: seq % 3 === 0 ? null : `S-${seq}`,
      payload: canonicalJson({ i: seq, tags: ['a', 'b'] }),
    };
    const hash = chainHash(prevHash, envelope);
    entries.push({ ...envelope, prevHash, hash });
    if (seq % every === 0) {
      checkpoints.push({ seq, headHash: hash, keyId: 'k1', signature: signWith(signer.privateKey, seq, hash) });
    }
    prevHash = hash;
  }
  return { entries, checkpoints };
}

const trust: CheckpointTrust<Checkpoint> = (checkpoint) =>
  checkpoint.keyId === 'k1'
    ? { ok: true, signerId: SIGNER_ID, publicKey: signer.publicKey }
    : { ok: false, reason: `checkpoint at entry ${checkpoint.seq} names an unknown key` };

async function* slowly<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) {
    await Promise.resolve();
    yield item;
  }
}

describe('chain walker', () => {
  it('accepts an untouched chain and reports its head and checkpoints', () => {
    const { entries, checkpoints } = chain(25, 10);
    expect(walkChain(entries, checkpoints, trust)).toEqual({
      ok: true,
      entries: 25,
      headSeq: 25,
      headHash: entries[24]?.hash,
      checkpoints: 2,
    });
  });

  it('accepts the empty chain', () => {
    expect(walkChain([], [], trust)).toEqual({
      ok: true,
      entries: 0,
      headSeq: 0,
      headHash: GENESIS_HASH,
      checkpoints: 0,
    });
  });

  it('gives the same verdict over asynchronous sources', async () => {
    const { entries, checkpoints } = chain(25, 10);
    expect(await walkChainAsync(slowly(entries), slowly(checkpoints), trust)).toEqual(
      walkChain(entries, checkpoints, trust),
    );
    const altered = entries.map((e) => (e.seq === 7 ? { ...e, actor: 'OFF-OTHER' } : e));
    expect(await walkChainAsync(slowly(altered), checkpoints, trust)).toMatchObject({ ok: false, firstBadSeq: 7 });
  });

  it('reports an altered entry at its sequence', () => {
    const { entries, checkpoints } = chain(20, 10);
    const altered = entries.map((e) => (e.seq === 4 ? { ...e, payload: '{"i":999}' } : e));
    expect(walkChain(altered, checkpoints, trust)).toEqual({
      ok: false,
      firstBadSeq: 4,
      reason: 'entry content does not match its hash (entry altered)',
      entries: 3,
    });
  });

  it('reports a deleted entry as a gap at the missing sequence', () => {
    const { entries, checkpoints } = chain(20, 10);
    expect(
      walkChain(
        entries.filter((e) => e.seq !== 6),
        checkpoints,
        trust,
      ),
    ).toMatchObject({ ok: false, firstBadSeq: 6, reason: expect.stringMatching(/sequence gap/) });
  });

  it('reports a replaced link when prev_hash is wrong', () => {
    const { entries, checkpoints } = chain(5, 10);
    const relinked = entries.map((e) => (e.seq === 3 ? { ...e, prevHash: 'f'.repeat(64) } : e));
    expect(walkChain(relinked, checkpoints, trust)).toMatchObject({
      ok: false,
      firstBadSeq: 3,
      reason: expect.stringMatching(/prev_hash/),
    });
  });

  it('catches a rewritten history with every hash recomputed, at the first checkpoint', () => {
    const { entries, checkpoints } = chain(20, 10);
    let prevHash = GENESIS_HASH;
    const forged = entries.map((e) => {
      const envelope = e.seq === 5 ? { ...e, actor: 'OFF-FORGED' } : e;
      const hash = chainHash(prevHash, envelope);
      const row = { ...envelope, prevHash, hash };
      prevHash = hash;
      return row;
    });
    expect(walkChain(forged, checkpoints, trust)).toMatchObject({
      ok: false,
      firstBadSeq: 10,
      reason: expect.stringMatching(/does not match the chain/),
    });
  });

  it('refuses a checkpoint signed by another key and one whose key is not trusted', () => {
    const { entries, checkpoints } = chain(20, 10);
    const forged = checkpoints.map((c) =>
      c.seq === 20 ? { ...c, signature: signWith(other.privateKey, c.seq, c.headHash) } : c,
    );
    expect(walkChain(entries, forged, trust)).toMatchObject({
      ok: false,
      firstBadSeq: 20,
      reason: 'checkpoint signature at entry 20 is invalid',
    });
    const unknown = checkpoints.map((c) => (c.seq === 10 ? { ...c, keyId: 'k9' } : c));
    expect(walkChain(entries, unknown, trust)).toMatchObject({
      ok: false,
      firstBadSeq: 10,
      reason: 'checkpoint at entry 10 names an unknown key',
    });
  });

  it('signs over the signer id: a valid signature for another id does not verify', () => {
    const { entries, checkpoints } = chain(10, 10);
    const elsewhere: CheckpointTrust<Checkpoint> = () => ({
      ok: true,
      signerId: 'CENTRAL',
      publicKey: signer.publicKey,
    });
    expect(walkChain(entries, checkpoints, elsewhere)).toMatchObject({ ok: false, firstBadSeq: 10 });
  });

  it('reports truncation when a checkpoint covers an entry past the end', () => {
    const { entries, checkpoints } = chain(25, 10);
    expect(walkChain(entries.slice(0, 15), checkpoints, trust)).toEqual({
      ok: false,
      firstBadSeq: 16,
      reason: 'log truncated: a signed checkpoint covers entry 20 but the chain ends at 15',
      entries: 15,
    });
  });

  it('ignores a checkpoint below sequence 1, which names no entry', () => {
    const { entries, checkpoints } = chain(10, 10);
    const stray = { seq: 0, headHash: GENESIS_HASH, keyId: 'k9', signature: '' };
    expect(walkChain(entries, [stray, ...checkpoints], trust)).toMatchObject({ ok: true, checkpoints: 1 });
  });

  it('stops reading at the first failure and closes both sources', () => {
    const { entries, checkpoints } = chain(30, 10);
    const read: number[] = [];
    let checkpointsClosed = false;
    function* tracked(): Generator<ChainEntry> {
      for (const entry of entries) {
        read.push(entry.seq);
        yield entry.seq === 12 ? { ...entry, ts: '2020-01-01T00:00:00.000Z' } : entry;
      }
    }
    function* trackedCheckpoints(): Generator<Checkpoint> {
      try {
        yield* checkpoints;
      } finally {
        checkpointsClosed = true;
      }
    }
    expect(walkChain(tracked(), trackedCheckpoints(), trust)).toMatchObject({ ok: false, firstBadSeq: 12 });
    expect(read.at(-1)).toBe(12);
    expect(checkpointsClosed).toBe(true);
  });
});
