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

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
console.log('# NEXIS benchmarks');
console.log(machineLine());
await runAuditBench({ millionEntries: !values.quick });
runIntakeBench({ applicants: values.quick ? 5_000 : 50_000 });
await runScoringBench({ quick: values.quick });
await runCrashBench({ runs: values.quick ? 10 : 120, firstStartRuns: values.quick ? 5 : 30 });
await runTamperBench({ quick: values.quick });
