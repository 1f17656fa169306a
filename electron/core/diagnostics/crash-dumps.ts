/**
 * Minidumps Electron's crash reporter writes into `<dataDir>/crashes` (electron/main/crash.ts points it there; it
 * never uploads). A minidump holds process memory, which may include personal data on screen at the time: dumps stay
 * in the data folder, are never put in the diagnostics bundle (only their number is), and only the newest
 * KEEP_CRASH_DUMPS are kept, pruned at each start.
 */
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const CRASH_DUMPS_DIR = 'crashes';
export const KEEP_CRASH_DUMPS = 10;

export function crashDumpsDir(dataDir: string): string {
  return join(dataDir, CRASH_DUMPS_DIR);
}

/** Every `.dmp` under the folder (Crashpad keeps them in subfolders such as `completed/` or `reports/`). */
function dumps(dir: string): { path: string; mtimeMs: number }[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      return dumps(path);
    }
    return entry.isFile() && entry.name.endsWith('.dmp') ? [{ path, mtimeMs: statSync(path).mtimeMs }] : [];
  });
}

export function crashDumpStats(dataDir: string): { count: number; newestAt: string | null } {
  const found = dumps(crashDumpsDir(dataDir));
  const newest = Math.max(...found.map((d) => d.mtimeMs));
  return { count: found.length, newestAt: found.length === 0 ? null : new Date(newest).toISOString() };
}

/** Deletes all but the newest `keep` dumps; returns how many were deleted. */
export function pruneCrashDumps(dataDir: string, keep = KEEP_CRASH_DUMPS): number {
  const old = dumps(crashDumpsDir(dataDir))
    .sort((a, b) => b.mtimeMs - a.mtimeMs)
    .slice(keep);
  for (const dump of old) {
    rmSync(dump.path, { force: true });
  }
  return old.length;
}
