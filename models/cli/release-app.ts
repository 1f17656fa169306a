/**
 * npm run release:app -- --channel <pilot|general> --serial <n> [--version <x.y.z>] [--notes <text>] [--out <file>] <installer>...
 *
 * Writes the app release to sign (`npm run release:sign`) from the installers electron-builder built: each file's
 * name, size and SHA-512 (base64, as electron-updater's latest.yml names them). The version defaults to package.json's.
 * Then: copy the installers to the central API's NEXIS_UPDATES_DIR/<channel>/ and propose the signed release in the
 * sync console (a second release manager approves). See README, "Releasing an app update".
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { ReleaseToSignSchema } from '../../shared/sync/signed-release';
import { ModelError } from '../core/errors';
import { numberFlag, parseArgs, requireFlag, runCli } from './args';

const USAGE =
  'usage: npm run release:app -- --channel <pilot|general> --serial <n> [--version <x.y.z>] [--notes <text>] [--out <file>] <installer>...';

runCli(() => {
  const args = parseArgs(process.argv.slice(2));
  if (args.positional.length === 0) {
    throw new ModelError('USAGE', 'name at least one installer file');
  }
  const version =
    args.flags.get('version') ??
    (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  const files = args.positional.map((file) => {
    let size: number;
    try {
      size = statSync(file).size;
    } catch {
      throw new ModelError('USAGE', `cannot read ${file}`);
    }
    return { name: basename(file), sha512: createHash('sha512').update(readFileSync(file)).digest('base64'), size };
  });
  const parsed = ReleaseToSignSchema.safeParse({
    kind: 'app',
    serial: numberFlag(args, 'serial', 0),
    release: { version, channel: requireFlag(args, 'channel'), files, notes: args.flags.get('notes') ?? '' },
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ModelError('USAGE', `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'not an app release'}`);
  }
  const out = args.flags.get('out') ?? `app-release-${version}.json`;
  writeFileSync(out, `${JSON.stringify(parsed.data, null, 2)}\n`);
  process.stdout.write(`app release ${version} (${files.length} file(s)) to sign → ${out}\n`);
}, USAGE);
