/**
 * The crash drill (issue 13): a child process writes to a real workstation until it is killed with SIGKILL at a
 * seeded random moment; the parent then reopens the database and checks that every write the child acknowledged is
 * there, no transaction is torn, the audit chain verifies and SQLite finds the file sound. Runs follow one another on
 * the same data folder, so each child also starts from whatever the previous kill left behind. Shared by
 * crash.test.ts (a few runs) and bench/crash.bench.ts (a hundred or more).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { defaultNoticesDir } from '../consent/notices';
import { defaultMigrationsDir } from '../db/paths';
import { defaultModelDir, developmentPublicKeyPath } from '../scoring/model-service';
import { makeTempDir, TEST_SCRYPT_COST } from '../testing/temp-workstation';
import { createWorkstation } from '../workstation';
import { checkDrillSite, type DrillCheck, type DrillSite } from './crash-check';
import { setUpDrillSite } from './crash-setup';
import {
  ACK_KINDS,
  ChildLine,
  seededRandom,
  SYNCHRONOUS_FULL,
  type Ack,
  type AckKind,
  type ChildConfig,
} from './crash-protocol';

export type { DrillCheck, DrillSite } from './crash-check';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CHILD_SOURCE = fileURLToPath(new URL('./crash-child.ts', import.meta.url));
/** A child that never becomes ready (or never dies) fails its run instead of hanging the suite. */
const CHILD_TIMEOUT_MS = 30_000;

export interface CrashChildBuild {
  readonly entry: string;
  readonly buildMs: number;
  dispose(): void;
}

/**
 * Bundles the child once (esbuild, ~0.2 s) instead of starting tsx for every run (~0.2-1 s more per spawn). The bundle goes under
 * node_modules/.cache so Node resolves its external packages (SQLCipher, onnxruntime) from the repository.
 */
export async function buildCrashChild(): Promise<CrashChildBuild> {
  const started = performance.now();
  const { build } = await import('esbuild');
  const cache = join(REPO_ROOT, 'node_modules', '.cache', 'nexis-crash-drill');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'build-'));
  const entry = join(dir, 'crash-child.mjs');
  await build({
    entryPoints: [CHILD_SOURCE],
    outfile: entry,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  return {
    entry,
    buildMs: performance.now() - started,
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The folders the child cannot find from its bundle's location, resolved here beside the sources. */
export function childPaths(): Pick<ChildConfig, 'migrationsDir' | 'noticesDir' | 'modelDir' | 'modelPublicKeyPem'> {
  return {
    migrationsDir: defaultMigrationsDir(),
    noticesDir: defaultNoticesDir(),
    modelDir: defaultModelDir(),
    modelPublicKeyPem: readFileSync(developmentPublicKeyPath(), 'utf8'),
  };
}

/** First run of a new site, done by the parent: an administrator, the bank's details and the drill's officer. */
export async function prepareDrillSite(dataDir: string, key: Buffer, checkpointEvery: number): Promise<DrillSite> {
  const ws = createWorkstation({ dataDir, dbKey: key, scryptCost: TEST_SCRYPT_COST, checkpointEvery, modelDir: null });
  try {
    await setUpDrillSite(ws);
    return { dataDir, key, identity: { deviceId: ws.deviceKey.deviceId, publicKey: ws.deviceKey.publicKey } };
  } finally {
    ws.close();
  }
}

/**
 * When to kill: mostly some time after the child is ready (in the middle of its writes), sometimes some time after it
 * starts opening the workstation (database open and recovery, model load, the sign-in, which also writes).
 */
export interface KillPlan {
  readonly from: 'opening' | 'ready';
  readonly afterMs: number;
}

export interface KillWindows {
  /** Upper bound of the delay after the ready line. */
  readonly afterReadyMs: number;
  /** Upper bound of the delay after the child starts opening the workstation, for the kills during start-up. */
  readonly afterOpeningMs: number;
  /** Share of runs killed during start-up. */
  readonly startupShare: number;
}

export const DEFAULT_KILL_WINDOWS: KillWindows = { afterReadyMs: 400, afterOpeningMs: 150, startupShare: 0.15 };

export function planKill(random: () => number, windows: KillWindows = DEFAULT_KILL_WINDOWS): KillPlan {
  return random() < windows.startupShare
    ? { from: 'opening', afterMs: Math.round(random() * windows.afterOpeningMs) }
    : { from: 'ready', afterMs: Math.round(random() * windows.afterReadyMs) };
}

export interface ChildRun {
  readonly acks: readonly Ack[];
  /** Acknowledgements read when SIGKILL was sent (more may arrive after it: printed before the kill landed). */
  readonly acksAtKill: number;
  readonly reachedReady: boolean;
  readonly signal: NodeJS.Signals | null;
  readonly exitCode: number | null;
  /** A failure the child reported, a line it should not have printed, or a timeout: the run is void. */
  readonly failure: string | null;
}

/** Spawns one child, kills it as planned, and collects what it acknowledged. */
export function runChild(entry: string, config: ChildConfig, plan: KillPlan): Promise<ChildRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [entry], { stdio: ['pipe', 'pipe', 'pipe'] });
    const acks: Ack[] = [];
    let acksAtKill = -1;
    let reachedReady = false;
    let failure: string | null = null;
    let stderr = '';
    const kill = (): void => {
      if (acksAtKill < 0) {
        acksAtKill = acks.length;
        child.kill('SIGKILL');
      }
    };
    let killTimer: NodeJS.Timeout | undefined;
    const watchdog = setTimeout(() => {
      failure ??= `the child did not ${reachedReady ? 'die' : 'become ready'} within ${CHILD_TIMEOUT_MS} ms`;
      kill();
    }, CHILD_TIMEOUT_MS);
    createInterface({ input: child.stdout }).on('line', (text) => {
      const parsed = ChildLine.safeParse(safeJson(text));
      if (!parsed.success) {
        failure ??= 'the child printed a line outside the protocol';
      } else if ('ack' in parsed.data) {
        acks.push(parsed.data);
      } else if ('opening' in parsed.data) {
        if (plan.from === 'opening') {
          killTimer = setTimeout(kill, plan.afterMs);
        }
      } else if ('ready' in parsed.data) {
        reachedReady = true;
        if (parsed.data.journalMode !== 'wal' || parsed.data.synchronous !== SYNCHRONOUS_FULL) {
          // Acks from a connection without WAL + synchronous=FULL would promise nothing about power loss.
          failure ??= `the child's database runs journal_mode=${parsed.data.journalMode}, synchronous=${parsed.data.synchronous}`;
        }
        if (plan.from === 'ready') {
          killTimer = setTimeout(kill, plan.afterMs);
        }
      } else {
        failure ??= `the child failed: ${parsed.data.fatal}: ${parsed.data.message}`;
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-2_000);
    });
    child.stdin.end(`${JSON.stringify(config)}\n`);
    child.on('close', (exitCode, signal) => {
      clearTimeout(killTimer);
      clearTimeout(watchdog);
      if (signal !== 'SIGKILL' && failure === null) {
        failure = `the child exited by itself (code ${String(exitCode)}): ${stderr.trim() || 'no output'}`;
      }
      resolve({ acks, acksAtKill: Math.max(acksAtKill, 0), reachedReady, signal, exitCode, failure });
    });
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export interface CrashRun {
  readonly run: number;
  readonly seed: number;
  readonly plan: KillPlan;
  readonly child: ChildRun;
  /** This run's acknowledgements by kind. */
  readonly acked: Readonly<Record<AckKind, number>>;
  /** Every acknowledgement since the site was prepared, all checked after this run. */
  readonly ackedSoFar: number;
  readonly check: DrillCheck;
  /**
   * Audit entries this run committed after its last acknowledgement: the kill fell between a commit and its ack (or
   * on the sign-in's entry). Not a loss: nothing unacknowledged was promised.
   */
  readonly unackedTail: number;
  /** Reopen plus every check, as the parent measured it. */
  readonly recoveryMs: number;
  readonly ok: boolean;
}

export interface CrashDrillOptions {
  /** Seeds the kill points and every child's workload. */
  readonly seed: number;
  /** Small, so signed checkpoints are written (and killed) during the runs too. */
  readonly checkpointEvery?: number;
  readonly windows?: KillWindows;
}

export interface CrashDrill {
  readonly site: DrillSite;
  readonly buildMs: number;
  readonly prepareMs: number;
  /** Every write acknowledged on this site so far. */
  readonly acks: readonly Ack[];
  run(): Promise<CrashRun>;
  /** Removes the bundle and the data folder. */
  close(): void;
}

/** A fresh site in a temp folder and the child built once; `run()` as often as wanted. */
export async function openCrashDrill(options: CrashDrillOptions): Promise<CrashDrill> {
  const checkpointEvery = options.checkpointEvery ?? 20;
  const random = seededRandom(options.seed);
  const dataDir = makeTempDir('nexis-crash-');
  let child: CrashChildBuild | undefined;
  try {
    child = await buildCrashChild();
    const build = child;
    const prepared = performance.now();
    const site = await prepareDrillSite(dataDir, randomBytes(32), checkpointEvery);
    const prepareMs = performance.now() - prepared;
    const acks: Ack[] = [];
    let runs = 0;
    let headBefore = 0;
    return {
      site,
      buildMs: build.buildMs,
      prepareMs,
      acks,
      async run() {
        runs += 1;
        const seed = Math.floor(random() * 2 ** 31);
        const plan = planKill(random, options.windows);
        const config: ChildConfig = {
          ...childPaths(),
          dataDir,
          keyHex: site.key.toString('hex'),
          seed,
          mode: 'write',
          checkpointEvery,
        };
        const result = await runChild(build.entry, config, plan);
        acks.push(...result.acks);
        const started = performance.now();
        const check = await checkDrillSite(site, acks);
        const recoveryMs = performance.now() - started;
        const acked = Object.fromEntries(
          ACK_KINDS.map((kind) => [kind, result.acks.filter((a) => a.ack === kind).length]),
        ) as Record<AckKind, number>;
        const lastAcked = Math.max(headBefore, ...result.acks.map((a) => a.audit.seq));
        const unackedTail = Math.max(0, check.headSeq - lastAcked);
        headBefore = Math.max(headBefore, check.headSeq);
        return {
          run: runs,
          seed,
          plan,
          child: result,
          acked,
          ackedSoFar: acks.length,
          check,
          unackedTail,
          recoveryMs,
          ok: check.ok && result.failure === null,
        };
      },
      close() {
        build.dispose();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    child?.dispose();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/** `runs` runs on one site; `onRun` sees each as it finishes (the benchmark prints them). */
export async function runCrashDrill(
  options: CrashDrillOptions & { readonly runs: number; readonly onRun?: (run: CrashRun) => void },
): Promise<{ readonly runs: readonly CrashRun[]; readonly buildMs: number; readonly prepareMs: number }> {
  const drill = await openCrashDrill(options);
  try {
    const runs: CrashRun[] = [];
    for (let i = 0; i < options.runs; i++) {
      const run = await drill.run();
      runs.push(run);
      options.onRun?.(run);
    }
    return { runs, buildMs: drill.buildMs, prepareMs: drill.prepareMs };
  } finally {
    drill.close();
  }
}
