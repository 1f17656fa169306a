/**
 * Child process of the crash drill (crash-drill.ts): opens the real workstation on the drill's data folder, signs
 * the drill officer in, and then writes until it is killed, the way the renderer would (through `dispatch`). Each
 * acknowledgement line is printed only after the call returned, i.e. after its transaction committed under
 * synchronous=FULL (the ready line reports the connection's settings, and the parent refuses any other). A line lost
 * with the kill only means fewer acknowledgements, never a false one. In `first-start` mode it instead makes a new
 * workstation (database, migrations, keys, first accounts) and idles, for the kills of a very first start.
 */
import { createInterface } from 'node:readline';
import { createWorkstation, type Workstation } from '../workstation';
import { NexisError } from '../errors';
import { TEST_SCRYPT_COST } from '../testing/temp-workstation';
import { consentFor } from '../testing/intake-fixtures';
import fc from 'fast-check';
import { nexisApplicant } from '../../../models/testing/applicants';
import type { Channel, ChannelInput, ChannelOutput } from '../../../shared/ipc/contract';
import type { PersonalData } from '../../../shared/ipc/applicants';
import type { FeatureValue, FeatureValues } from '../../../shared/features';
import { ChildConfig, DRILL_OFFICER, seededRandom, type AckKind, type ChildLine } from './crash-protocol';
import { mustCall, setUpDrillSite } from './crash-setup';

const CONNECTION = 'crash-officer';

function emit(line: ChildLine): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

function call<C extends Channel>(ws: Workstation, channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
  return mustCall(ws, CONNECTION, channel, input);
}

function ack(ws: Workstation, kind: AckKind, id: string): void {
  const head = ws.store.audit.head();
  emit({ ack: kind, id, audit: { seq: head.seq, hash: head.hash } });
}

/** A different (valid) person each time: the same national id over and over would grow every duplicate list. */
function person(random: () => number): PersonalData {
  const digits = (n: number): string =>
    Math.floor(random() * 10 ** n)
      .toString()
      .padStart(n, '0');
  return {
    fullName: 'Wanjiru Kamau Njeri',
    phone: `+254 7${String(10 + Math.floor(random() * 20))} ${digits(3)} ${digits(3)}`,
    nationalId: `${1 + Math.floor(random() * 9)}${digits(7)}`,
    dateOfBirth: '1991-04-12',
  };
}

async function oneApplicant(ws: Workstation, random: () => number, values: FeatureValues): Promise<void> {
  const registered = await call(ws, 'applicants:register', { personal: person(random), consent: consentFor(ws) });
  ack(ws, 'applicant', registered.applicantId);
  // The form sends only the values it has; the generator's type allows absent keys, the channel does not.
  const entered = Object.fromEntries(
    Object.entries(values).filter((e): e is [string, FeatureValue] => e[1] !== undefined),
  );
  const record = await call(ws, 'applicants:saveFeatures', { applicantId: registered.applicantId, values: entered });
  ack(ws, 'behaviour', record.recordId);
  const score = await call(ws, 'scoring:score', { applicantId: registered.applicantId });
  ack(ws, 'score', score.scoreId);
  const top = score.reasons[0]?.feature;
  const reasonCodes =
    score.outcome === 'approve' ? ['meets-policy'] : top === undefined ? ['policy-knock-out'] : [`model:${top}`];
  const decision = await call(ws, 'decisions:record', { scoreId: score.scoreId, decision: score.outcome, reasonCodes });
  ack(ws, 'decision', decision.decisionId);
  // A write that is nothing but an audit append, now and then.
  if (random() < 0.3) {
    await call(ws, 'applicants:reveal', { applicantId: registered.applicantId, field: 'phone' });
    ack(ws, 'audit', 'applicants:reveal');
  }
}

async function readConfig(): Promise<ChildConfig> {
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    lines.close();
    return ChildConfig.parse(JSON.parse(line));
  }
  throw new NexisError('INVALID_INPUT', 'The crash child got no configuration on stdin.');
}

function openWorkstation(config: ChildConfig): Workstation {
  emit({ opening: true });
  return createWorkstation({
    dataDir: config.dataDir,
    dbKey: Buffer.from(config.keyHex, 'hex'),
    scryptCost: TEST_SCRYPT_COST,
    checkpointEvery: config.checkpointEvery,
    migrationsDir: config.migrationsDir,
    noticesDir: config.noticesDir,
    modelDir: config.modelDir,
    modelPublicKey: config.modelPublicKeyPem,
    // As the desktop app runs: checkpoints from a worker thread, killed with the process at any point.
    backgroundCheckpoints: true,
  });
}

function ready(ws: Workstation): void {
  emit({
    ready: true,
    journalMode: String(ws.store.sqlite.pragma('journal_mode', { simple: true })),
    synchronous: Number(ws.store.sqlite.pragma('synchronous', { simple: true })),
  });
}

async function writeUntilKilled(config: ChildConfig): Promise<never> {
  const ws = openWorkstation(config);
  await ws.modelReady;
  if (ws.model.status().state !== 'verified') {
    throw new NexisError('MODEL_UNAVAILABLE', 'The crash child could not load the model package.');
  }
  await call(ws, 'auth:signIn', { username: DRILL_OFFICER.username, password: DRILL_OFFICER.password });
  ack(ws, 'audit', 'auth:signIn');
  ready(ws);
  const random = seededRandom(config.seed);
  // Applicants across every feature's range (approvals, referrals and declines), a different stream per seed.
  const applicants = fc.sample(nexisApplicant, { numRuns: 64, seed: config.seed });
  for (let i = 0; ; i++) {
    await oneApplicant(ws, random, applicants[i % applicants.length] ?? {});
  }
}

/** A workstation's very first start (database created, migrated, keys made, first accounts), then idle. */
async function firstStart(config: ChildConfig): Promise<void> {
  const ws = openWorkstation(config);
  await ws.modelReady;
  await setUpDrillSite(ws);
  ready(ws);
  // Idle until killed: the parent decides when this process ends.
  setInterval(() => undefined, 60_000);
}

async function main(): Promise<void> {
  const config = await readConfig();
  await (config.mode === 'write' ? writeUntilKilled(config) : firstStart(config));
}

main().catch((error: unknown) => {
  emit({
    fatal: error instanceof NexisError ? error.code : 'INTERNAL',
    message: error instanceof Error ? error.message : 'unknown failure',
  });
  // The workstation's timers would keep the process alive; the parent waits for the exit.
  process.exit(1);
});
