/**
 * What the crash drill's parent and child say to each other: the child's configuration (one JSON line on stdin, so
 * the database key never appears on a command line or in the environment) and the lines it prints on stdout.
 */
import { z } from 'zod';

/** The officer the drill prepares once per data folder; every child signs in as them. */
export const DRILL_OFFICER = {
  username: 'crash.officer',
  temporaryPassword: 'temporary pass 123',
  password: 'crash drill secret 789',
} as const;

export const ChildConfig = z.strictObject({
  dataDir: z.string().min(1),
  keyHex: z.string().regex(/^[0-9a-f]{64}$/, 'the database key as 64 lower-case hex digits'),
  /** Seeds the child's choice of applicants and operations, so each run writes a different stream. */
  seed: z.number().int().nonnegative(),
  /** `write`: sign in and write until killed; `first-start`: open a new folder and set it up, then idle. */
  mode: z.enum(['write', 'first-start']),
  checkpointEvery: z.number().int().min(1).max(500),
  /** Paths resolved by the parent: a bundled child lives outside the source tree, so its own defaults would miss. */
  migrationsDir: z.string().min(1),
  noticesDir: z.string().min(1),
  modelDir: z.string().min(1),
  modelPublicKeyPem: z.string().min(1),
});
export type ChildConfig = z.infer<typeof ChildConfig>;

/** `PRAGMA synchronous` value of FULL: a commit is on disk (WAL fsynced) before it returns. */
export const SYNCHRONOUS_FULL = 2;

export const ACK_KINDS = ['applicant', 'behaviour', 'score', 'decision', 'audit'] as const;
export type AckKind = (typeof ACK_KINDS)[number];

const AuditHead = z.strictObject({ seq: z.number().int().positive(), hash: z.string().regex(/^[0-9a-f]{64}$/) });

/**
 * One committed write. `audit` is the chain head read right after the call returned: the entry the write appended
 * (or a later one), which must be in the reopened chain with exactly this hash.
 */
export const Ack = z.strictObject({
  ack: z.enum(ACK_KINDS),
  /** Applicant, behavioural record, score or decision id; for a bare audit append, the channel that appended it. */
  id: z.string().min(1),
  audit: AuditHead,
});
export type Ack = z.infer<typeof Ack>;

export const ChildLine = z.union([
  Ack,
  /** About to open the workstation (the start-up kills are timed from here). */
  z.strictObject({ opening: z.literal(true) }),
  /** Signed in and about to write; with the durability settings of the connection the acks rest on. */
  z.strictObject({ ready: z.literal(true), journalMode: z.string(), synchronous: z.number().int() }),
  /** The child could not go on (e.g. the reopened database refused to open): a code and a message, no data. */
  z.strictObject({ fatal: z.string(), message: z.string() }),
]);
export type ChildLine = z.infer<typeof ChildLine>;

/** mulberry32: small, fast and good enough to vary a workload; never used for anything secret. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
