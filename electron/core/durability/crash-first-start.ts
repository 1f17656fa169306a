/**
 * The crash drill of a workstation's very first start: a child creates a new workstation (database file, migrations,
 * the device signing key and the personal-data keys, the first accounts) and is killed with SIGKILL somewhere in
 * the middle. The next start must open what is left — never a folder that refuses to open for good — and the chain
 * and the file must check out.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import { makeTempDir, TEST_SCRYPT_COST } from '../testing/temp-workstation';
import { createWorkstation } from '../workstation';
import { checkDrillSite, type DrillCheck } from './crash-check';
import { buildCrashChild, childPaths, runChild, type ChildRun, type CrashChildBuild } from './crash-drill';
import { seededRandom } from './crash-protocol';

export interface FirstStartRun {
  readonly run: number;
  readonly afterMs: number;
  readonly child: ChildRun;
  /** What the kill left in the folder (file names, sorted): shows where in the start the kill fell. */
  readonly left: readonly string[];
  /** The next start (createWorkstation on what the kill left) threw: the folder would not open. */
  readonly restartError: string | null;
  /** The checks of the reopened file; null when the restart failed. */
  readonly check: DrillCheck | null;
  readonly ok: boolean;
}

export interface FirstStartOptions {
  readonly runs: number;
  readonly seed: number;
  /** Upper bound of the kill delay after the child starts opening (a first start takes ~100-300 ms). */
  readonly windowMs?: number;
  /** A bundle built already (the crash drill's); built here otherwise. */
  readonly build?: CrashChildBuild;
}

export async function runFirstStartDrill(options: FirstStartOptions): Promise<readonly FirstStartRun[]> {
  const random = seededRandom(options.seed);
  const build = options.build ?? (await buildCrashChild());
  const runs: FirstStartRun[] = [];
  try {
    for (let run = 1; run <= options.runs; run++) {
      const dataDir = makeTempDir('nexis-first-start-');
      try {
        const key = randomBytes(32);
        const afterMs = Math.round(random() * (options.windowMs ?? 300));
        const child = await runChild(
          build.entry,
          {
            ...childPaths(),
            dataDir,
            keyHex: key.toString('hex'),
            seed: Math.floor(random() * 2 ** 31),
            mode: 'first-start',
            checkpointEvery: 20,
          },
          { from: 'opening', afterMs },
        );
        const left = readdirSync(dataDir).sort();
        let restartError: string | null = null;
        let check: DrillCheck | null = null;
        try {
          // The app's next start on the leftover: creates what is missing, loads what is there.
          const ws = createWorkstation({ dataDir, dbKey: key, scryptCost: TEST_SCRYPT_COST, modelDir: null });
          const identity = { deviceId: ws.deviceKey.deviceId, publicKey: ws.deviceKey.publicKey };
          ws.close();
          check = await checkDrillSite({ dataDir, key, identity }, []);
        } catch (error) {
          restartError = error instanceof Error ? error.message : String(error);
        }
        runs.push({
          run,
          afterMs,
          child,
          left,
          restartError,
          check,
          ok: child.failure === null && restartError === null && check?.ok === true,
        });
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    }
    return runs;
  } finally {
    if (options.build === undefined) {
      build.dispose();
    }
  }
}
