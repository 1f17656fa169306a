/**
 * `npm run bench [-- --quick]`: every benchmark of the workstation, printed with the machine it ran on and the peer
 * measured in the same run. Timings are never asserted anywhere.
 */
import { parseArgs } from 'node:util';
import { machineLine } from './machine';
import { runAuditBench } from './audit.bench';
import { runCrashBench } from './crash.bench';
import { runIntakeBench } from './intake.bench';
import { runScoringBench } from './scoring.bench';
import { runTamperBench } from './tamper.bench';

// `--only audit` runs one benchmark (e.g. while working on it); by default all run.
const { values } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, only: { type: 'string' } },
});
const runs = (name: string): boolean => values.only === undefined || values.only === name;
console.log('# NEXIS benchmarks');
console.log(machineLine());
if (runs('audit')) {
  await runAuditBench({ millionEntries: !values.quick });
}
if (runs('intake')) {
  runIntakeBench({ applicants: values.quick ? 5_000 : 50_000 });
}
if (runs('scoring')) {
  await runScoringBench({ quick: values.quick });
}
if (runs('crash')) {
  await runCrashBench({ runs: values.quick ? 10 : 120, firstStartRuns: values.quick ? 5 : 30 });
}
if (runs('tamper')) {
  await runTamperBench({ quick: values.quick });
}
