/**
 * The chain walk of verify.ts spread over worker threads (issue 13: a million entries in seconds). Workers take ranges
 * of sequence numbers from a queue; in its range each checks the sequence, the prev_hash links, each entry's hash and
 * the head hash of each checkpoint, exactly as walkChain does. This thread stitches the ranges at their seams, checks
 * every checkpoint's signature and merges the findings so the verdict is the one the sequential walk gives: the same
 * first bad sequence and the same reason (parallel-walk.test.ts holds the two equal under random tampering).
 */
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { GENESIS_HASH, type ChainCheckpoint, type ChainVerification } from '../../../audit-chain';
import { watchWorkerExit } from '../db/worker-exit';

/**
 * chainHash (audit-chain/hash.ts, with canonicalEnvelope inlined) as CommonJS for the workers, which load no
 * TypeScript. It must give the same bytes for any stored values; parallel-walk.test.ts compares the two on random ones.
 */
export const WORKER_CHAIN_HASH_SOURCE = `
let scratch = Buffer.allocUnsafe(16 * 1024);
function chainHash(prevHashHex, seq, ts, actor, action, subject, payload) {
  const text =
    '{"action":' + JSON.stringify(action) + ',"actor":' + JSON.stringify(actor) +
    ',"payload":' + \`\${payload}\` + ',"seq":' + \`\${seq}\` +
    ',"subject":' + (subject === null ? 'null' : JSON.stringify(subject)) +
    ',"ts":' + JSON.stringify(ts) + ',"v":1}';
  if (prevHashHex.length !== 64) {
    return createHash('sha256').update(Buffer.from(prevHashHex, 'hex')).update(text, 'utf8').digest('hex');
  }
  const needed = 32 + Buffer.byteLength(text, 'utf8');
  if (needed > scratch.length) {
    scratch = Buffer.allocUnsafe(Math.max(needed, scratch.length * 2));
  }
  const prevBytes = scratch.write(prevHashHex, 0, 'hex');
  const length = prevBytes + scratch.write(text, prevBytes, 'utf8');
  return hash('sha256', scratch.subarray(0, length), 'hex');
}
`;

// Plain CommonJS evaluated from this string: no bundler entry or TypeScript loader in any runtime (tsx, Vitest, Electron).
// One worker runs the page check first (so it overlaps with the others' walks), then joins the walk.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash, hash } = require('node:crypto');
const Database = require(workerData.modulePath);
${WORKER_CHAIN_HASH_SOURCE}
const stop = new Int32Array(workerData.stop);
let db;
function fail(code) {
  parentPort.postMessage({ kind: 'error', code });
}
try {
  db = new Database(workerData.file, { readonly: true, fileMustExist: true });
  db.pragma("cipher='sqlcipher'");
  db.pragma('legacy=4');
  db.pragma('key="x\\'' + workerData.keyHex + '\\'"');
  if (workerData.pageCheck) {
    const started = performance.now();
    let message;
    try {
      message = { kind: 'pages', rows: db.pragma('quick_check') };
    } catch (error) {
      message = { kind: 'pages', code: (error && error.code) || 'error' };
    }
    message.ms = performance.now() - started;
    parentPort.postMessage(message);
  }
  const COLUMNS = 'SELECT seq, ts, actor, action, subject, payload, prev_hash, hash FROM audit_log ';
  const firstRange = db.prepare(COLUMNS + 'WHERE seq <= ? ORDER BY seq').raw();
  const range = db.prepare(COLUMNS + 'WHERE seq >= ? AND seq <= ? ORDER BY seq').raw();
  const walk = (job) => {
    const rows = job.from === 1 ? firstRange.iterate(job.to) : range.iterate(job.from, job.to);
    const checkpoints = job.checkpoints;
    let expected = job.from;
    let firstSeq = null;
    let firstPrev = null;
    let prev = null;
    let at = 0;
    for (const row of rows) {
      const seq = row[0];
      // Another range failed and the verdict is out: stop between rows, never inside SQLite (the loop's exit resets
      // the statement), then wait for the goodbye below.
      if ((seq & 4095) === 0 && Atomics.load(stop, 0) !== 0) {
        return { index: job.index, firstSeq, firstPrev, failure: null, aborted: true };
      }
      if (firstSeq === null) {
        firstSeq = seq;
        // This thread checks the seam; a stored value that is no text cannot match it (nor be hashed).
        firstPrev = typeof row[6] === 'string' ? row[6] : null;
        if (firstPrev === null && seq === expected) {
          return { index: job.index, firstSeq, firstPrev, failure: { seq, kind: 'prev' } };
        }
      }
      if (seq !== expected) {
        return { index: job.index, firstSeq, firstPrev, failure: { seq: expected, kind: 'gap', found: seq } };
      }
      if (prev !== null && row[6] !== prev) {
        return { index: job.index, firstSeq, firstPrev, failure: { seq, kind: 'prev' } };
      }
      const computed = chainHash(row[6], seq, row[1], row[2], row[3], row[4], row[5]);
      if (computed !== row[7]) {
        return { index: job.index, firstSeq, firstPrev, failure: { seq, kind: 'hash' } };
      }
      while (at < checkpoints.length && checkpoints[at][0] < seq) {
        at += 1;
      }
      if (at < checkpoints.length && checkpoints[at][0] === seq) {
        if (checkpoints[at][1] !== computed) {
          return { index: job.index, firstSeq, firstPrev, failure: { seq, kind: 'checkpoint' } };
        }
        at += 1;
      }
      prev = row[7];
      expected += 1;
    }
    return { index: job.index, firstSeq, firstPrev, lastHash: prev, next: expected, failure: null };
  };
  // The goodbye: close the connection and let the thread end by itself (db/worker-exit.ts says why it is never
  // terminated).
  parentPort.on('message', (job) => {
    if (job === null) {
      db.close();
      db = undefined;
      parentPort.close();
      return;
    }
    try {
      parentPort.postMessage({ kind: 'range', result: walk(job) });
    } catch (error) {
      fail((error && error.code) || 'error');
    }
  });
  parentPort.postMessage({ kind: 'ready' });
} catch (error) {
  // No listener is left, so the thread ends once this is sent; it must not end with the connection open.
  if (db) {
    try {
      db.close();
    } catch {}
  }
  fail((error && error.code) || 'error');
}
`;

type RangeFailure =
  | { readonly seq: number; readonly kind: 'gap'; readonly found: number }
  | { readonly seq: number; readonly kind: 'prev' | 'hash' | 'checkpoint' };

interface RangeResult {
  readonly index: number;
  readonly firstSeq: number | null;
  readonly firstPrev: string | null;
  readonly lastHash?: string | null;
  readonly next?: number;
  readonly failure: RangeFailure | null;
  /** Stopped early because the verdict was already out; never merged. */
  readonly aborted?: true;
}

type WorkerMessage =
  | { readonly kind: 'ready' }
  | { readonly kind: 'pages'; readonly rows?: { quick_check: string }[]; readonly code?: string; readonly ms: number }
  | { readonly kind: 'range'; readonly result: RangeResult }
  | { readonly kind: 'error'; readonly code: string };

/** What the page check found: its rows, or the SQLite code it failed with. */
export interface PageCheckOutcome {
  readonly rows?: { quick_check: string }[];
  readonly code?: string;
  readonly ms: number;
}

export interface ParallelWalkInput<C extends ChainCheckpoint> {
  readonly file: string;
  readonly key: Uint8Array;
  /** max(seq) in the snapshot the checkpoints were read in: rows appended later are not walked. */
  readonly length: number;
  readonly checkpoints: readonly C[];
  /** Why a checkpoint's signature is not acceptable, or null; run on this thread for every checkpoint reached. */
  readonly signatureProblem: (checkpoint: C) => string | null;
  readonly pageCheck: boolean;
  readonly rangeEntries?: number;
  readonly workers?: number;
}

export interface ParallelWalkOutcome {
  /** The walk's verdict, or the SQLite code a worker failed with while reading. */
  readonly chain: ChainVerification | { readonly storageError: string };
  readonly pages: PageCheckOutcome | null;
  readonly walkMs: number;
}

const DEFAULT_RANGE_ENTRIES = 25_000;

/**
 * Runs the walk (and the page check if asked) on worker threads; never rejects. Resolves once every worker has closed
 * its connection and exited: a failing range stops the others between rows, and no worker is ever terminated.
 */
export function walkChainInWorkers<C extends ChainCheckpoint>(
  input: ParallelWalkInput<C>,
): Promise<ParallelWalkOutcome> {
  const started = performance.now();
  const rangeEntries = input.rangeEntries ?? DEFAULT_RANGE_ENTRIES;
  const ranges = Math.max(1, Math.ceil(input.length / rangeEntries));
  const workerCount = Math.min(
    ranges + (input.pageCheck ? 1 : 0),
    input.workers ?? Math.max(2, Math.min(4, availableParallelism())),
  );
  const modulePath = createRequire(import.meta.url).resolve('better-sqlite3');
  const keyHex = Buffer.from(input.key).toString('hex');
  const results: (RangeResult | undefined)[] = new Array<RangeResult | undefined>(ranges);
  let nextRange = 0;
  let done = 0;
  let pages: PageCheckOutcome | null = null;
  let storageError: string | null = null;
  const exits: ((graceMs?: number) => Promise<void>)[] = [];
  const signatureProblems: (string | null)[] = [];
  const stop = new Int32Array(new SharedArrayBuffer(4));

  return new Promise((resolve) => {
    let settled = false;
    const finishIfDone = (): void => {
      const walked = done === ranges || storageError !== null;
      if (settled || !walked || (input.pageCheck && pages === null)) {
        return;
      }
      settled = true;
      Atomics.store(stop, 0, 1);
      const walkMs = performance.now() - started;
      const chain =
        storageError !== null ? { storageError } : mergeRanges(results as RangeResult[], input, signatureProblems);
      // Every worker still walking returns at its next stop check and is then told goodbye by give().
      void Promise.all(exits.map((untilExit) => untilExit())).then(() => {
        resolve({ chain, pages, walkMs });
      });
    };
    // A worker that reports (ready, a range, an error) waits for its next message: a range, or null for goodbye.
    const give = (worker: Worker): void => {
      if (settled || nextRange >= ranges || storageError !== null) {
        worker.postMessage(null);
        return;
      }
      const index = nextRange;
      nextRange += 1;
      const from = index * rangeEntries + 1;
      const to = Math.min(input.length, from + rangeEntries - 1);
      const checkpoints = input.checkpoints
        .filter((c) => c.seq >= from && c.seq <= to)
        .map((c) => [c.seq, c.headHash] as const);
      worker.postMessage({ index, from, to, checkpoints });
    };
    for (let i = 0; i < workerCount; i += 1) {
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: {
          file: input.file,
          keyHex,
          modulePath,
          pageCheck: input.pageCheck && i === 0,
          stop: stop.buffer,
        },
      });
      exits.push(watchWorkerExit(worker));
      worker.on('message', (message: WorkerMessage) => {
        if (message.kind === 'pages') {
          pages = message;
        } else if (message.kind === 'range') {
          if (message.result.aborted !== true) {
            results[message.result.index] = message.result;
            done += 1;
          }
          give(worker);
        } else if (message.kind === 'error') {
          if (input.pageCheck && i === 0 && pages === null) {
            pages = { code: message.code, ms: performance.now() - started };
          }
          storageError ??= message.code;
          give(worker);
        } else {
          give(worker);
        }
        finishIfDone();
      });
      worker.once('error', (error: Error & { code?: unknown }) => {
        const code = typeof error.code === 'string' ? error.code : 'error';
        if (input.pageCheck && i === 0 && pages === null) {
          pages = { code, ms: performance.now() - started };
        }
        storageError ??= code;
        finishIfDone();
      });
    }
    // Checked here while the workers start and walk; taken in sequence order by the merge.
    for (const checkpoint of input.checkpoints) {
      signatureProblems.push(checkpoint.seq < 1 ? null : input.signatureProblem(checkpoint));
    }
  });
}

/** The sequential walk's verdict from the ranges' findings, taken in sequence order. */
function mergeRanges<C extends ChainCheckpoint>(
  results: readonly RangeResult[],
  input: ParallelWalkInput<C>,
  signatureProblems: readonly (string | null)[],
): ChainVerification {
  const failed = (firstBadSeq: number, reason: string): ChainVerification => ({
    ok: false,
    firstBadSeq,
    reason,
    entries: firstBadSeq - 1,
  });
  const { checkpoints } = input;
  let at = 0;
  // The first checkpoint at or below `seq` whose signature fails, checked in order as the walk reaches them.
  const signatureFailureUpTo = (seq: number): ChainVerification | null => {
    for (; at < checkpoints.length && (checkpoints[at]?.seq ?? Infinity) <= seq; at += 1) {
      const checkpoint = checkpoints[at] as C;
      if (checkpoint.seq < 1) {
        continue;
      }
      const problem = signatureProblems[at] ?? null;
      if (problem !== null) {
        return failed(checkpoint.seq, problem);
      }
    }
    return null;
  };
  let expected = 1;
  let prevHash = GENESIS_HASH;
  for (const result of results) {
    if (result.firstSeq === null) {
      continue;
    }
    if (result.firstSeq !== expected) {
      return (
        signatureFailureUpTo(expected - 1) ??
        failed(
          expected,
          `sequence gap: expected entry ${expected}, found ${result.firstSeq} (entries deleted or renumbered)`,
        )
      );
    }
    if (result.firstPrev !== prevHash) {
      return (
        signatureFailureUpTo(expected - 1) ??
        failed(
          expected,
          `prev_hash does not match the hash of entry ${expected - 1} (entries reordered, replaced or removed)`,
        )
      );
    }
    const { failure } = result;
    if (failure !== null) {
      return signatureFailureUpTo(failure.seq - 1) ?? failed(failure.seq, rangeFailureReason(failure, checkpoints));
    }
    const next = result.next ?? expected;
    const signature = signatureFailureUpTo(next - 1);
    if (signature !== null) {
      return signature;
    }
    expected = next;
    // A range that stopped short of its end leaves a gap that the next range with rows reports.
    prevHash = result.lastHash ?? prevHash;
  }
  const headSeq = expected - 1;
  const beyond = checkpoints.find((c) => c.seq > headSeq);
  if (beyond !== undefined) {
    return failed(
      headSeq + 1,
      `log truncated: a signed checkpoint covers entry ${beyond.seq} but the chain ends at ${headSeq}`,
    );
  }
  return {
    ok: true,
    entries: headSeq,
    headSeq,
    headHash: prevHash,
    checkpoints: checkpoints.filter((c) => c.seq >= 1 && c.seq <= headSeq).length,
  };
}

function rangeFailureReason(failure: RangeFailure, checkpoints: readonly ChainCheckpoint[]): string {
  switch (failure.kind) {
    case 'gap':
      return `sequence gap: expected entry ${failure.seq}, found ${failure.found} (entries deleted or renumbered)`;
    case 'prev':
      return `prev_hash does not match the hash of entry ${failure.seq - 1} (entries reordered, replaced or removed)`;
    case 'hash':
      return 'entry content does not match its hash (entry altered)';
    case 'checkpoint': {
      const checkpoint = checkpoints.find((c) => c.seq === failure.seq);
      return `signed checkpoint at entry ${checkpoint?.seq ?? failure.seq} does not match the chain (history rewritten)`;
    }
  }
}
