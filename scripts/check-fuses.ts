/**
 * npm run check:fuses [-- <electron binary or .app>]: reads the fuse wire of a packaged build (@electron/fuses) and
 * compares it with `electronFuses` in electron-builder.yml, the one place the wanted values are written. Without an
 * argument it looks for a build in dist/; where none exists (no Electron binary on this machine) it says SKIPPED.
 * Exit 0: every fuse as configured; 1: a fuse differs (the build must not ship); 2: no fuse wire could be read.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { parse } from 'yaml';

/** The states a fuse byte holds (@electron/fuses' FuseState, which its package entry does not export). */
const FuseState = { DISABLE: 0x30, ENABLE: 0x31, REMOVED: 0x72 } as const;

/** electron-builder's option names (electron-builder.yml) to the fuse wire's positions. */
const FUSE_POSITIONS: Record<string, FuseV1Options> = {
  runAsNode: FuseV1Options.RunAsNode,
  enableCookieEncryption: FuseV1Options.EnableCookieEncryption,
  enableNodeOptionsEnvironmentVariable: FuseV1Options.EnableNodeOptionsEnvironmentVariable,
  enableNodeCliInspectArguments: FuseV1Options.EnableNodeCliInspectArguments,
  enableEmbeddedAsarIntegrityValidation: FuseV1Options.EnableEmbeddedAsarIntegrityValidation,
  onlyLoadAppFromAsar: FuseV1Options.OnlyLoadAppFromAsar,
  loadBrowserProcessSpecificV8Snapshot: FuseV1Options.LoadBrowserProcessSpecificV8Snapshot,
  grantFileProtocolExtraPrivileges: FuseV1Options.GrantFileProtocolExtraPrivileges,
};

/** The fuses electron-builder.yml asks for, by option name. */
export function configuredFuses(builderYml: string): Record<string, boolean> {
  const config = parse(builderYml) as { electronFuses?: Record<string, unknown> } | null;
  const fuses = config?.electronFuses ?? {};
  const wanted: Record<string, boolean> = {};
  for (const name of Object.keys(FUSE_POSITIONS)) {
    const value = fuses[name];
    if (typeof value !== 'boolean') {
      throw new Error(`electron-builder.yml sets no value for the fuse ${name}`);
    }
    wanted[name] = value;
  }
  return wanted;
}

/** Every fuse of the binary that is not as `wanted` says, as a sentence; empty when all match. */
export async function fuseProblems(binary: string, wanted: Record<string, boolean>): Promise<string[]> {
  const wire = await getCurrentFuseWire(binary);
  const problems: string[] = [];
  for (const [name, position] of Object.entries(FUSE_POSITIONS)) {
    const state = wire[position];
    const expected = wanted[name] === true ? FuseState.ENABLE : FuseState.DISABLE;
    if (state === FuseState.REMOVED) {
      continue;
    }
    if (state !== expected) {
      problems.push(
        `${name} is ${state === FuseState.ENABLE ? 'on' : 'off'}; electron-builder.yml wants it ${wanted[name] === true ? 'on' : 'off'}`,
      );
    }
  }
  return problems;
}

/** The packaged app's Electron binary in dist/, if `npm run dist` has built one here. */
export function findPackagedBinary(distDir: string): string | null {
  const candidates: string[] = [];
  for (const folder of ['linux-unpacked', 'win-unpacked', 'mac', 'mac-arm64', 'mac-universal']) {
    const dir = join(distDir, folder);
    if (!existsSync(dir)) {
      continue;
    }
    for (const entry of readdirSync(dir)) {
      if (entry.endsWith('.app') || entry === 'nexis-workstation' || entry.endsWith('Workstation.exe')) {
        candidates.push(join(dir, entry));
      }
    }
  }
  return candidates[0] ?? null;
}

async function main(argv: string[]): Promise<number> {
  const binary = argv[0] ?? findPackagedBinary('dist');
  if (binary === null) {
    console.log(
      '[fuse check] SKIPPED: no packaged build in dist/ (npm run dist builds one where Electron can be downloaded).',
    );
    return 0;
  }
  const wanted = configuredFuses(readFileSync('electron-builder.yml', 'utf8'));
  let problems: string[];
  try {
    problems = await fuseProblems(binary, wanted);
  } catch (error) {
    console.error(
      `[fuse check] cannot read the fuses of ${binary}: ${error instanceof Error ? error.message : String(error)}`,
    );
    return 2;
  }
  if (problems.length > 0) {
    console.error(`[fuse check] FAILED for ${binary}:\n  ${problems.join('\n  ')}`);
    return 1;
  }
  console.log(`[fuse check] OK: every fuse of ${binary} is as electron-builder.yml sets it.`);
  return 0;
}

if (process.argv[1]?.endsWith('check-fuses.ts') === true) {
  process.exitCode = await main(process.argv.slice(2));
}
