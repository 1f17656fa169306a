/**
 * Crash durability drill (issue 13): a child process writes applicants, behavioural data, scores, decisions and
 * audit entries to a real workstation until SIGKILL at a seeded random point; after each kill the database is
 * reopened and checked (every acknowledged write present, no torn transaction, chain verifies, integrity_check ok).
 * Runs follow one another on the same data folder; then fresh folders have their very first start killed. Timings are printed, never asserted; a failed run is reported
 * and sets a non-zero exit code, because it is a lost write, not a slow one.
 */
import { runCrashDrill, type CrashRun } from '../electron/core/durability/crash-drill';
import { runFirstStartDrill } from '../electron/core/durability/crash-first-start';
import { ACK_KINDS } from '../electron/core/durability/crash-protocol';
import { fmt, percentile } from './machine';

const sorted = (values: readonly number[]): number[] => [...values].sort((a, b) => a - b);

function spread(label: string, values: readonly number[], unit: string): string {
  const s = sorted(values);
  if (s.length === 0) {
    return `${label}: none`;
  }
  return `${label}: p50 ${fmt(percentile(s, 50), 1)} ${unit}, p99 ${fmt(percentile(s, 99), 1)} ${unit}, max ${fmt(s[s.length - 1] ?? Number.NaN, 1)} ${unit}`;
}

function failure(run: CrashRun): string {
  const c = run.check;
  return [
    `FAILED run ${run.run} (seed ${run.seed}, kill ${run.plan.afterMs} ms after ${run.plan.from}):`,
    run.child.failure ?? '',
    c.openError === null ? '' : `open: ${c.openError}`,
    c.missing.length > 0
      ? `missing acked writes: ${c.missing.map((a) => `${a.ack} ${a.id} @${a.audit.seq}`).join(', ')}`
      : '',
    c.torn.length > 0 ? `torn: ${c.torn.map((t) => `${t.table} ${t.problem} ${t.id}`).join(', ')}` : '',
    c.chain.ok ? '' : `chain: ${c.chain.reason} (first bad ${c.chain.firstBadSeq})`,
    c.integrity.length === 1 && c.integrity[0] === 'ok' ? '' : `integrity_check: ${c.integrity.slice(0, 5).join('; ')}`,
    c.foreignKeys.length > 0 ? `foreign keys: ${c.foreignKeys.slice(0, 5).join(', ')}` : '',
  ]
    .filter((part) => part !== '')
    .join(' ');
}

export async function runCrashBench(options: {
  readonly runs: number;
  /** Separate fresh folders whose very first start is killed (crash-first-start.ts). */
  readonly firstStartRuns: number;
  readonly seed?: number;
}): Promise<void> {
  const seed = options.seed ?? Date.now() % 2 ** 31;
  console.log(`\n## Crash durability: SIGKILL drill, ${options.runs} runs on one data folder (seed ${seed})`);
  const started = performance.now();
  const result = await runCrashDrill({
    seed,
    runs: options.runs,
    onRun: (run) => {
      if (!run.ok) {
        console.log(failure(run));
      }
    },
  });
  const runs = result.runs;
  const failed = runs.filter((r) => !r.ok);
  const startup = runs.filter((r) => !r.child.reachedReady);
  const totals = ACK_KINDS.map(
    (kind) =>
      `${kind} ${fmt(
        runs.reduce((n, r) => n + r.acked[kind], 0),
        0,
      )}`,
  );
  const last = runs[runs.length - 1];
  console.log(
    `child bundle built in ${fmt(result.buildMs, 0)} ms, site prepared in ${fmt(result.prepareMs, 0)} ms, ` +
      `drill took ${fmt((performance.now() - started) / 1000, 1)} s`,
  );
  console.log(
    `runs ${runs.length}: ${runs.length - failed.length} passed, ${failed.length} failed; ` +
      `kills timed from the start-up: ${runs.filter((r) => r.plan.from === 'opening').length}, ` +
      `killed before the child was signed in and writing: ${startup.length}`,
  );
  console.log(
    `acknowledged writes: ${fmt(last?.ackedSoFar ?? 0, 0)} (${totals.join(', ')}), all checked after every run`,
  );
  console.log(
    spread(
      'acknowledged writes per run',
      runs.map((r) => r.child.acks.length),
      'writes',
    ),
  );
  console.log(
    `kill points: ${spread(
      'delay after ready',
      runs.filter((r) => r.plan.from === 'ready').map((r) => r.plan.afterMs),
      'ms',
    )}; ` +
      `${spread(
        'delay after opening began',
        runs.filter((r) => r.plan.from === 'opening').map((r) => r.plan.afterMs),
        'ms',
      )}`,
  );
  console.log(
    `runs whose kill fell after a commit and before its acknowledgement: ${runs.filter((r) => r.unackedTail > 0).length}; ` +
      `${spread(
        'WAL left by the kill',
        runs.map((r) => r.check.walBytes / 1024),
        'KiB',
      )}`,
  );
  console.log(
    spread(
      'recovery (reopen + every check)',
      runs.map((r) => r.recoveryMs),
      'ms',
    ),
  );
  console.log(
    `  ${spread(
      'reopen (key check, WAL recovery, migrations)',
      runs.map((r) => r.check.timings.openMs),
      'ms',
    )}; ` +
      `${spread(
        'chain verification',
        runs.map((r) => r.check.timings.chainMs),
        'ms',
      )}; ` +
      `${spread(
        'integrity_check',
        runs.map((r) => r.check.timings.integrityMs),
        'ms',
      )}`,
  );
  if (last !== undefined) {
    console.log(
      `final chain: ${fmt(last.check.chain.ok ? last.check.chain.entries : 0, 0)} entries, ` +
        `${fmt(last.check.chain.ok ? last.check.chain.checkpoints : 0, 0)} signed checkpoints`,
    );
  }
  const firstStarts = await runFirstStartDrill({ runs: options.firstStartRuns, seed });
  const firstFailed = firstStarts.filter((r) => !r.ok);
  for (const run of firstFailed) {
    console.log(
      `FAILED first start ${run.run} (kill ${run.afterMs} ms after opening began): ` +
        (run.child.failure ?? run.restartError ?? (run.check === null ? '' : `checks: ${JSON.stringify(run.check)}`)),
    );
  }
  const leftovers = new Map<string, number>();
  for (const run of firstStarts) {
    const key = run.left.join(' + ') || 'an empty folder';
    leftovers.set(key, (leftovers.get(key) ?? 0) + 1);
  }
  console.log(
    `first starts killed at random points: ${firstStarts.length}, ${firstStarts.length - firstFailed.length} reopened ` +
      `and checked out (killed before set-up finished: ${firstStarts.filter((r) => !r.child.reachedReady).length})`,
  );
  console.log(`  the kills left: ${[...leftovers].map(([files, n]) => `${n}× ${files}`).join('; ')}`);
  if (failed.length > 0 || firstFailed.length > 0) {
    process.exitCode = 1;
  }
}
