/**
 * Production build of the central API: one ES module, `dist/main.js`, run with plain `node` (no tsx, no TypeScript
 * at run time). The server's own code and what it shares with the workstation (`shared/`, `audit-chain/`) are
 * bundled; every npm package stays external and is installed from this workspace's `dependencies`. The migrations
 * folder is copied beside the bundle, where `server/db/database.ts` looks for it (`./migrations` next to the module).
 * Type checking is not this step's job: `npm run typecheck` at the root checks the same sources.
 */
import { cpSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
// `--outdir` lets tests build a copy elsewhere; it needs a node_modules it can resolve the packages from.
const { values } = parseArgs({ options: { outdir: { type: 'string' } } });
const dist = values.outdir === undefined ? `${root}dist` : resolve(values.outdir);

rmSync(dist, { recursive: true, force: true });
await build({
  entryPoints: [`${root}cli/main.ts`],
  outfile: `${dist}/main.js`,
  bundle: true,
  platform: 'node',
  target: 'node20.19',
  format: 'esm',
  packages: 'external',
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
});
cpSync(`${root}db/migrations`, `${dist}/migrations`, { recursive: true });
process.stdout.write(`central API built: ${dist}/main.js\n`);
