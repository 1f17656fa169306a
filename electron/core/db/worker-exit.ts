import type { Worker } from 'node:worker_threads';

/**
 * Waits for a worker thread to end on its own. Workers that hold a better-sqlite3 connection must close it and let
 * their thread end: `Worker.terminate()` while the thread is inside a SQLite call (a statement iterator that throws
 * as the isolate is torn down) aborts the whole process with "v8::ToLocalChecked Empty MaybeLocal" (upstream
 * WiseLibs/better-sqlite3#1507; it crashed a CI run through parallel-walk.ts), and a thread that ends with its
 * connection still open can crash at exit (#1476). Call this right after creating the worker, so no 'exit' is missed.
 */
export function watchWorkerExit(worker: Worker): (graceMs?: number) => Promise<void> {
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    worker.once('exit', () => {
      exited = true;
      resolve();
    });
  });
  /**
   * Resolves once the thread has exited. Terminating stays only as the last resort for a thread still running after
   * `graceMs`, which a worker that honours its stop message never reaches.
   */
  return async (graceMs = 30_000) => {
    if (exited) {
      return;
    }
    const timer = setTimeout(() => void worker.terminate(), graceMs);
    timer.unref();
    await exit;
    clearTimeout(timer);
  };
}
