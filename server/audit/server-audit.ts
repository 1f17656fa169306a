/**
 * The central API's own audit chain (docs/audit-format.md, "The central API's chain"): every administrator action and
 * authentication event, appended in the transaction of its effect, in exactly the workstation's format, with a
 * checkpoint signed by the server's signing key every N entries.
 */
import type { KeyObject } from 'node:crypto';
import { and, asc, desc, eq, gt, like, lt, sql, type SQL } from 'drizzle-orm';
import {
  assertPseudonymousActor,
  assertPseudonymousPayload,
  AuditChainError,
  canonicalJson,
  CENTRAL_SIGNER_ID,
  chainHash,
  checkpointMessage,
  GENESIS_HASH,
  publicKeyFromBase64,
  walkChainAsync,
  type AuditPayload,
  type ChainVerification,
  type CheckpointSigner,
  type JsonValue,
} from '../../audit-chain';
import type { ServerDb } from '../db/database';
import { serverAudit, serverAuditCheckpoints } from '../db/schema';

type Tx = Parameters<Parameters<ServerDb['transaction']>[0]>[0];

/** Signs checkpoints; the server's current signing key (server/security/secrets.ts) is one. */
export interface AuditSigner {
  readonly keyId: string;
  /** Ed25519 signature of the UTF-8 message, base64. */
  sign(message: string): string;
}

export interface ServerAuditAppend {
  /** `ADM-…`, `DEV-…`, `system`, `anonymous` or `bootstrap`: never a username. */
  readonly actor: string;
  /** Dotted verb, e.g. `admin.signed_in`. */
  readonly action: string;
  /** Pseudonymous id of what the entry is about. */
  readonly subject?: string | null;
  readonly payload?: AuditPayload;
}

export interface ServerAuditEntry {
  readonly seq: number;
  readonly ts: string;
  readonly actor: string;
  readonly action: string;
  readonly subject: string | null;
  readonly payload: Record<string, JsonValue>;
}

export interface ServerAuditQuery {
  /** Entries below this sequence number (the next page). */
  readonly before?: number;
  /** Action prefix, e.g. `admin.`. */
  readonly action?: string;
  readonly actor?: string;
  /** 1–200, default 50. */
  readonly limit?: number;
}

export const DEFAULT_CHECKPOINT_EVERY = 100;
/** Serialises appenders across server processes; the other advisory locks are in server/db/database.ts and feed.ts. */
export const SERVER_AUDIT_LOCK = 7_261_844;
/** Rows per query while verifying: memory stays flat however long the chain grows. */
export const VERIFY_PAGE_SIZE = 5_000;
const LIST_DEFAULT = 50;
const LIST_MAX = 200;

/**
 * Appends one entry inside the caller's transaction, so the effect and its entry commit or roll back together.
 * The advisory lock is held until that transaction ends: call this as the transaction's last write, and keep the
 * transaction READ COMMITTED (the default) so the head is read after the lock is granted.
 */
export async function appendServerAudit(
  tx: Tx,
  signer: AuditSigner,
  entry: ServerAuditAppend,
  now: Date,
  options?: { readonly checkpointEvery?: number },
): Promise<{ seq: number; hash: string }> {
  const checkpointEvery = options?.checkpointEvery ?? DEFAULT_CHECKPOINT_EVERY;
  if (!Number.isInteger(checkpointEvery) || checkpointEvery < 1) {
    throw new AuditChainError('INVALID_ARGUMENT', 'checkpointEvery must be a positive integer');
  }
  const payloadObject = entry.payload ?? {};
  assertPseudonymousActor(entry.action, entry.actor);
  assertPseudonymousPayload(entry.action, payloadObject);
  const payload = canonicalJson(payloadObject);

  await tx.execute(sql`SELECT pg_advisory_xact_lock(${SERVER_AUDIT_LOCK})`);
  const [head] = await tx
    .select({ seq: serverAudit.seq, hash: serverAudit.hash })
    .from(serverAudit)
    .orderBy(desc(serverAudit.seq))
    .limit(1);
  const prevHash = head?.hash ?? GENESIS_HASH;
  const record = {
    seq: (head?.seq ?? 0) + 1,
    ts: now.toISOString(),
    actor: entry.actor,
    action: entry.action,
    subject: entry.subject ?? null,
    payload,
  };
  const hash = chainHash(prevHash, record);
  await tx.insert(serverAudit).values({ ...record, prevHash, hash });
  if (record.seq % checkpointEvery === 0) {
    await tx.insert(serverAuditCheckpoints).values({
      seq: record.seq,
      headHash: hash,
      keyId: signer.keyId,
      signature: signer.sign(checkpointMessage(CENTRAL_SIGNER_ID, record.seq, hash)),
      signedAt: record.ts,
    });
  }
  return { seq: record.seq, hash };
}

type CheckpointRow = typeof serverAuditCheckpoints.$inferSelect;

/**
 * Recomputes the whole chain and checks every checkpoint against the key its id names. Reads one consistent
 * snapshot, page by page, so appends running meanwhile neither disturb nor pass for truncation.
 */
export async function verifyServerAudit(
  db: ServerDb,
  publicKeyFor: (keyId: string) => string | undefined,
  options?: { readonly pageSize?: number },
): Promise<ChainVerification> {
  const pageSize = options?.pageSize ?? VERIFY_PAGE_SIZE;
  if (!Number.isInteger(pageSize) || pageSize < 1) {
    throw new AuditChainError('INVALID_ARGUMENT', 'pageSize must be a positive integer');
  }
  return db.transaction(
    (tx) =>
      walkChainAsync(
        pages(pageSize, (after, limit) =>
          tx
            .select()
            .from(serverAudit)
            .where(after === undefined ? undefined : gt(serverAudit.seq, after))
            .orderBy(asc(serverAudit.seq))
            .limit(limit),
        ),
        pages(pageSize, (after, limit) =>
          tx
            .select()
            .from(serverAuditCheckpoints)
            .where(after === undefined ? undefined : gt(serverAuditCheckpoints.seq, after))
            .orderBy(asc(serverAuditCheckpoints.seq))
            .limit(limit),
        ),
        keyTrust(publicKeyFor),
      ),
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

/**
 * Keyset pagination on `seq`. The first page has no lower bound, so a row an attacker inserted below 1 is read
 * (and reported) rather than skipped.
 */
async function* pages<T extends { seq: number }>(
  size: number,
  read: (after: number | undefined, limit: number) => Promise<T[]>,
): AsyncGenerator<T> {
  let after: number | undefined;
  for (;;) {
    const rows = await read(after, size);
    yield* rows;
    const last = rows.at(-1);
    if (last === undefined || rows.length < size) {
      return;
    }
    after = last.seq;
  }
}

/** Each checkpoint must verify under the key its id names; an id the keyring does not hold is reported, not skipped. */
function keyTrust(publicKeyFor: (keyId: string) => string | undefined): (row: CheckpointRow) => CheckpointSigner {
  const keys = new Map<string, KeyObject | null>();
  return (row) => {
    let key = keys.get(row.keyId);
    if (key === undefined) {
      const spki = publicKeyFor(row.keyId);
      key = spki === undefined ? null : parseKey(spki);
      keys.set(row.keyId, key);
    }
    if (key === null) {
      return {
        ok: false,
        reason: `checkpoint at entry ${row.seq} names key id "${row.keyId}", which is unknown or not an Ed25519 key`,
      };
    }
    return { ok: true, signerId: CENTRAL_SIGNER_ID, publicKey: key };
  };
}

function parseKey(spkiBase64: string): KeyObject | null {
  try {
    const key = publicKeyFromBase64(spkiBase64);
    return key.asymmetricKeyType === 'ed25519' ? key : null;
  } catch {
    return null;
  }
}

/** The console's view: newest first, filtered by action prefix and actor, paged by `before`. */
export async function listServerAudit(db: ServerDb, query: ServerAuditQuery): Promise<ServerAuditEntry[]> {
  const filters: SQL[] = [];
  if (query.before !== undefined) {
    filters.push(lt(serverAudit.seq, query.before));
  }
  if (query.action !== undefined && query.action !== '') {
    filters.push(like(serverAudit.action, `${escapeLike(query.action)}%`));
  }
  if (query.actor !== undefined && query.actor !== '') {
    filters.push(eq(serverAudit.actor, query.actor));
  }
  const wanted = query.limit !== undefined && Number.isFinite(query.limit) ? Math.floor(query.limit) : LIST_DEFAULT;
  const limit = Math.min(LIST_MAX, Math.max(1, wanted));
  const rows = await db
    .select({
      seq: serverAudit.seq,
      ts: serverAudit.ts,
      actor: serverAudit.actor,
      action: serverAudit.action,
      subject: serverAudit.subject,
      payload: serverAudit.payload,
    })
    .from(serverAudit)
    .where(filters.length > 0 ? and(...filters) : undefined)
    .orderBy(desc(serverAudit.seq))
    .limit(limit);
  return rows.map((row) => ({ ...row, payload: JSON.parse(row.payload) as Record<string, JsonValue> }));
}

/** `_` and `%` in a prefix are literal characters, not wildcards. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export type { ChainVerification };
