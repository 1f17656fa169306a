/**
 * Runs a stage's bags on several cores while `trainGlassBox` stays synchronous (its callers, the
 * package builder, the CLI, the benchmarks and the tests, are all synchronous).
 *
 * The main thread and a small pool of persistent worker threads claim bags from a shared counter
 * (Atomics), so whoever is free takes the next bag and a worker that is still starting simply
 * claims nothing. Workers post each result on a MessagePort; the main thread blocks in
 * `Atomics.wait` and drains the ports with `receiveMessageOnPort` (the pattern synckit uses;
 * written here because the claiming and the local fallback are specific to this job).
 *
 * A bag's result is a pure function of its inputs (bags.ts), and the caller combines results in
 * bag order, so the model is byte-identical whatever ran where (tested). A worker that fails to
 * start, throws, or has not answered well after the main thread finished a bag of its own is
 * replaced by computing that bag on the main thread.
 */
import { availableParallelism } from 'node:os';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import {
  fitMainBag,
  fitPairBag,
  type BaggingContext,
  type MainBagResult,
  type PairBagResult,
  type PairStage,
} from './bags';

export type BagJob =
  | { readonly kind: 'mains'; readonly ctx: BaggingContext }
  | { readonly kind: 'pairs'; readonly ctx: BaggingContext; readonly stage: PairStage };

type BagResult = MainBagResult | PairBagResult;

interface WorkerTask {
  readonly control: SharedArrayBuffer;
  readonly port: MessagePort;
  readonly job: BagJob;
  readonly count: number;
}

type WorkerReply =
  | { readonly index: number; readonly ok: true; readonly result: BagResult }
  | { readonly index: number; readonly ok: false; readonly message: string };

/** Slots of the shared control array. */
const NEXT = 0;
const DONE = 1;

/** Below this many row-bags a worker's start-up costs more than it saves. */
export const MIN_PARALLEL_WORK = 20_000;
/** A worker bag is given up on after this many times the main thread's slowest bag (plus a second). */
const PATIENCE_FACTOR = 4;
const PATIENCE_FLOOR_MS = 1_000;
/** When the main thread ran no bag itself it has no yardstick: wait this long. */
const PATIENCE_BLIND_MS = 120_000;

export function runBagJob(job: BagJob, index: number): BagResult {
  return job.kind === 'mains' ? fitMainBag(job.ctx, index) : fitPairBag(job.ctx, job.stage, index);
}

/**
 * Threads to use for `bags` bags over `rows` rows: `requested`, else NEXIS_TRAIN_THREADS, else the
 * machine's parallelism; never more than the bags, and 1 for work too small to gain from threads.
 */
export function trainingThreads(rows: number, bags: number, requested?: number): number {
  const fromEnv = Number.parseInt(process.env.NEXIS_TRAIN_THREADS ?? '', 10);
  const wanted = requested ?? (Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : availableParallelism());
  if (!Number.isInteger(wanted) || wanted < 1) {
    throw new RangeError(`training threads must be a positive integer, got ${wanted}`);
  }
  if (requested === undefined && rows * bags < MIN_PARALLEL_WORK) {
    return 1;
  }
  return Math.max(1, Math.min(wanted, bags));
}

const pool: Worker[] = [];
const started = new WeakMap<Worker, Promise<void>>();

/** Starts workers so that `threads` threads (the main one included) can run bags; they load while binning runs. */
export function warmBagWorkers(threads: number): void {
  while (pool.length < threads - 1) {
    const worker = new Worker(new URL('./bag-worker.mjs', import.meta.url), { execArgv: [] });
    // The pool never keeps a process alive; a worker that fails or exits leaves it.
    worker.unref();
    const leave = (): void => {
      const at = pool.indexOf(worker);
      if (at >= 0) {
        pool.splice(at, 1);
      }
    };
    worker.on('error', leave);
    worker.on('exit', leave);
    // The worker says "ready" once its code is loaded; failing or exiting also settles the wait.
    started.set(
      worker,
      new Promise<void>((resolve) => {
        worker.once('message', () => resolve());
        worker.once('error', () => resolve());
        worker.once('exit', () => resolve());
      }),
    );
    pool.push(worker);
  }
}

/** Resolves once every started worker has loaded (or failed), with the number ready to take bags. */
export async function bagWorkersReady(): Promise<number> {
  await Promise.all(pool.map((worker) => started.get(worker) ?? Promise.resolve()));
  return pool.length;
}

/** Where a stage's bags ran. */
export interface BagRunReport {
  readonly stage: BagJob['kind'];
  readonly threads: number;
  readonly localBags: number;
  readonly workerBags: number;
}

function isReply(value: unknown, count: number): value is WorkerReply {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const reply = value as Partial<Record<keyof WorkerReply, unknown>>;
  return typeof reply.index === 'number' && Number.isInteger(reply.index) && reply.index >= 0 && reply.index < count;
}

/** Runs `count` bags of `job` on up to `threads` threads and returns their results in bag order. */
export function runBags(
  job: Extract<BagJob, { kind: 'mains' }>,
  count: number,
  threads: number,
  report?: (report: BagRunReport) => void,
): MainBagResult[];
export function runBags(
  job: Extract<BagJob, { kind: 'pairs' }>,
  count: number,
  threads: number,
  report?: (report: BagRunReport) => void,
): PairBagResult[];
export function runBags(
  job: BagJob,
  count: number,
  threads: number,
  report?: (report: BagRunReport) => void,
): BagResult[] {
  const results: Array<BagResult | undefined> = new Array<BagResult | undefined>(count).fill(undefined);
  const control = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
  if (threads > 1) {
    warmBagWorkers(threads);
  }
  const ports = pool.slice(0, threads - 1).map((worker) => {
    const channel = new MessageChannel();
    const task: WorkerTask = { control: control.buffer as SharedArrayBuffer, port: channel.port2, job, count };
    worker.postMessage(task, [channel.port2]);
    return channel.port1;
  });

  let slowestLocalMs = 0;
  let localBags = 0;
  const runLocal = (index: number): void => {
    const started = performance.now();
    results[index] = runBagJob(job, index);
    slowestLocalMs = Math.max(slowestLocalMs, performance.now() - started);
    localBags += 1;
  };
  for (let index = Atomics.add(control, NEXT, 1); index < count; index = Atomics.add(control, NEXT, 1)) {
    runLocal(index);
  }

  const drain = (): void => {
    for (const port of ports) {
      for (let message = receiveMessageOnPort(port); message !== undefined; message = receiveMessageOnPort(port)) {
        const reply: unknown = message.message;
        if (!isReply(reply, count) || results[reply.index] !== undefined) {
          continue;
        }
        if (reply.ok) {
          results[reply.index] = reply.result;
        } else {
          runLocal(reply.index);
        }
      }
    }
  };
  const missing = (): number => results.reduce((n, r) => n + (r === undefined ? 1 : 0), 0);
  const patience = localBags > 0 ? PATIENCE_FACTOR * slowestLocalMs + PATIENCE_FLOOR_MS : PATIENCE_BLIND_MS;
  const deadline = performance.now() + patience;
  for (;;) {
    const seen = Atomics.load(control, DONE);
    drain();
    const now = performance.now();
    if (missing() === 0 || now >= deadline) {
      break;
    }
    Atomics.wait(control, DONE, seen, Math.min(deadline - now, 1_000));
  }
  ports.forEach((port) => port.close());
  // Whatever a worker did not deliver in time is computed here; the result is the same either way.
  results.forEach((result, index) => {
    if (result === undefined) {
      runLocal(index);
    }
  });
  report?.({ stage: job.kind, threads, localBags, workerBags: count - localBags });
  return results as BagResult[];
}

/** The worker side: claim bags from the shared counter until none is left, answering each on the task's port. */
export function serveBagTasks(parent: MessagePort): void {
  parent.postMessage('ready');
  parent.on('message', (task: WorkerTask) => {
    const control = new Int32Array(task.control);
    for (let index = Atomics.add(control, NEXT, 1); index < task.count; index = Atomics.add(control, NEXT, 1)) {
      let reply: WorkerReply;
      try {
        reply = { index, ok: true, result: runBagJob(task.job, index) };
      } catch (error) {
        reply = { index, ok: false, message: error instanceof Error ? error.message : String(error) };
      }
      task.port.postMessage(reply);
      Atomics.add(control, DONE, 1);
      Atomics.notify(control, DONE);
    }
    task.port.close();
  });
}
