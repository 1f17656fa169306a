/**
 * Tamper sweeps at full size (issue 13): the audit tamper property of electron/core/audit/tamper-sweep.test.ts with
 * thousands of cases, and the byte-flip sweep of electron/core/db/byte-flip.test.ts over thousands of offsets.
 * Seeds are printed so a failure reproduces; any case not reported as required sets a failing exit code.
 */
import fc from 'fast-check';
import {
  createAuditFixture,
  tamperingArbitrary,
  verdictProblem,
  verifyTampered,
} from '../electron/core/testing/tamper';
import { createFlipFixture, runFlipSweep } from '../electron/core/testing/byte-flip';
import { fmt } from './machine';

export async function runTamperBench(options: { readonly quick: boolean }): Promise<void> {
  console.log('\n## Tamper sweeps');
  const runs = options.quick ? 2_000 : 10_000;
  const flips = options.quick ? 1_000 : 5_000;
  const seed = Date.now() | 0;

  const audit = createAuditFixture(1_234, 50);
  try {
    const started = performance.now();
    const outcome = await fc.check(
      fc.asyncProperty(tamperingArbitrary(audit), async (tampering) => {
        const { expected, result } = await verifyTampered(audit, tampering);
        const problem = verdictProblem(tampering, expected, result);
        if (problem !== null) {
          throw new Error(problem);
        }
      }),
      { numRuns: runs, seed },
    );
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `audit tamper property: ${fmt(outcome.numRuns, 0)} random tamperings of a ${fmt(audit.entries.length, 0)}-entry log ` +
        `in ${fmt(seconds, 1)} s, seed ${seed}: ${outcome.failed ? 'FAILED' : 'each reported at its first sequence'}`,
    );
    if (outcome.failed) {
      console.log(`  counterexample: ${JSON.stringify(outcome.counterexample)}`);
      process.exitCode = 1;
    }
  } finally {
    audit.temp.cleanup();
  }

  const file = await createFlipFixture();
  try {
    const started = performance.now();
    const report = await runFlipSweep(file, flips, seed);
    const seconds = (performance.now() - started) / 1000;
    const pages = Object.entries(report.byPage)
      .map(([use, t]) => `${use} ${fmt(t.flips, 0)} (${fmt(t.reported, 0)} reported, ${fmt(t.unchanged, 0)} unchanged)`)
      .join(', ');
    console.log(
      `byte-flip sweep: ${fmt(flips, 0)} flips over ${fmt(file.pages.length, 0)} pages in ${fmt(seconds, 1)} s, ` +
        `seed ${seed}: ${pages}; ${report.failures.length === 0 ? 'no flip read silently' : 'FAILED'}`,
    );
    for (const failure of report.failures.slice(0, 20)) {
      console.log(`  ${failure}`);
    }
    if (report.failures.length > 0) {
      process.exitCode = 1;
    }
  } finally {
    file.cleanup();
  }
}
