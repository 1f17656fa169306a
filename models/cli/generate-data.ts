/** npm run model:generate-data -- --rows N --seed S --out file.csv [--default-rate 0.2] */
import { writeFileSync } from 'node:fs';
import { syntheticCsv } from '../data/synthetic';
import { numberFlag, parseArgs, requireFlag, runCli } from './args';

const USAGE = 'usage: npm run model:generate-data -- --rows N --seed S --out file.csv [--default-rate 0.2]';

runCli(() => {
  const args = parseArgs(process.argv.slice(2));
  const rows = numberFlag(args, 'rows', 20_000);
  const seed = numberFlag(args, 'seed', 42);
  const out = requireFlag(args, 'out');
  const csv = syntheticCsv({ rows, seed, defaultRate: numberFlag(args, 'default-rate', 0.2) });
  writeFileSync(out, csv);
  const defaults = csv
    .trimEnd()
    .split('\n')
    .slice(1)
    .filter((line) => line.endsWith(',1')).length;
  process.stdout.write(
    `wrote ${rows} SYNTHETIC rows (seed ${seed}, ${((100 * defaults) / rows).toFixed(1)}% defaults) to ${out}\n`,
  );
}, USAGE);
