/**
 * Push ingestion. Under a row lock on the device, checks the pushed chain against what is stored and appends the new
 * part: a resend is acknowledged with no second effect; a different hash at a stored sequence is a fork; a head below
 * the acknowledged one is a rollback; a head below a countersigned checkpoint, or an anchor that no longer matches,
 * is a truncation. Issues are committed (so the console sees them) and the push is refused with CHAIN_CONFLICT.
 */
import { and, asc, between, desc, eq, inArray } from 'drizzle-orm';
import { chainHash, checkpointMessage, publicKeyFromBase64, verifySignature } from '../../audit-chain';
import type { ChainIssueKind } from '../../shared/sync/admin';
import { countersignatureMessage } from '../../shared/sync/messages';
import type { Countersignature, PushEntry, PushRequest, PushResponse } from '../../shared/sync/push';
import type { ServerDb } from '../db/database';
import { auditEntries, countersignedCheckpoints, devices } from '../db/schema';
import { ApiError } from '../http/errors';
import type { ServerSecrets } from '../security/secrets';
import { applicantsAlreadyWithdrawn, applicantsToShred, removePersonalData } from './erasure';
import { publishFromEntries, registeredByBranch } from './feed';
import { holdBranchRequest } from '../admin/proposals';
import { flagChainIssue } from './records';
import { attachmentVault, splitAttachment, type AttachmentVault } from './attachment-vault';
import { insertAuditRows, type AuditRow } from './entry-store';

type Tx = Parameters<Parameters<ServerDb['transaction']>[0]>[0];

interface Issue {
  readonly kind: ChainIssueKind;
  readonly seq: number;
  readonly detail: string;
}

/** `acked`: the head to record when the refusal came after new entries were stored (the transaction commits). */
type Refusal = { ok: false; error: ApiError; issues: Issue[]; acked?: { ackedSeq: number; ackedHash: string } };
type Outcome = { ok: true; response: PushResponse } | Refusal;

const conflict = (issue: Issue): Refusal => ({
  ok: false,
  error: new ApiError(409, 'CHAIN_CONFLICT', `Chain conflict (${issue.kind}) at entry ${issue.seq}: ${issue.detail}`),
  issues: [issue],
});

/** Told what metrics need from inside ingestion (server/metrics); every method optional. */
export interface IngestObserver {
  /** The server's key failed to countersign a checkpoint (the push is refused with a 500). */
  readonly countersignFailed?: () => void;
}

export async function ingestPush(
  db: ServerDb,
  secrets: ServerSecrets,
  deviceId: string,
  push: PushRequest,
  now: Date,
  observer: IngestObserver = {},
): Promise<PushResponse> {
  const outcome = await db.transaction(async (tx) => {
    const device = (await tx.select().from(devices).where(eq(devices.deviceId, deviceId)).for('update'))[0];
    if (device === undefined) {
      return { ok: false, error: new ApiError(401, 'UNAUTHENTICATED', 'Unknown device.'), issues: [] } as Outcome;
    }
    const fresh = push.pushId > device.lastPushId;
    const lastPushId = Math.max(push.pushId, device.lastPushId);
    const result = await checkAndAppend(tx, secrets, device, push, fresh, lastPushId, now, observer);
    // One update for the contact and the new acknowledged head (the row is locked, so nothing sees it in between);
    // a refused push still records the contact, as the transaction commits with its issues.
    await tx
      .update(devices)
      .set({
        lastContactAt: now,
        ...(fresh ? { reportedHeadSeq: push.head.seq, lastPushId: push.pushId } : {}),
        ...(result.ok ? { ackedSeq: result.response.ackedSeq, ackedHash: result.response.ackedHash } : result.acked),
      })
      .where(eq(devices.deviceId, deviceId));
    for (const issue of result.ok ? [] : result.issues) {
      await flagChainIssue(tx, deviceId, issue.kind, issue.seq, issue.detail, now);
    }
    return result;
  });
  if (!outcome.ok) {
    throw outcome.error;
  }
  return outcome.response;
}

async function checkAndAppend(
  tx: Tx,
  secrets: ServerSecrets,
  device: typeof devices.$inferSelect,
  push: PushRequest,
  fresh: boolean,
  lastPushId: number,
  now: Date,
  observer: IngestObserver,
): Promise<Outcome> {
  const deviceId = device.deviceId;
  const lastCountersigned = (
    await tx
      .select({ seq: countersignedCheckpoints.seq })
      .from(countersignedCheckpoints)
      .where(eq(countersignedCheckpoints.deviceId, deviceId))
      .orderBy(desc(countersignedCheckpoints.seq))
      .limit(1)
  )[0];
  if (fresh && lastCountersigned !== undefined && push.head.seq < lastCountersigned.seq) {
    return conflict({
      kind: 'truncation',
      seq: push.head.seq + 1,
      detail: `the device's chain ends at ${push.head.seq}, below the checkpoint countersigned at ${lastCountersigned.seq}`,
    });
  }
  if (fresh && push.head.seq < device.ackedSeq) {
    return conflict({
      kind: 'rollback',
      seq: push.head.seq + 1,
      detail: `the device reports head ${push.head.seq} but entries up to ${device.ackedSeq} were acknowledged`,
    });
  }
  if (fresh && push.anchor !== null && push.anchor.seq <= device.ackedSeq) {
    const stored = await storedHashes(tx, deviceId, push.anchor.seq, push.anchor.seq);
    if (stored.get(push.anchor.seq) !== push.anchor.hash) {
      return conflict({
        kind: 'truncation',
        seq: push.anchor.seq,
        detail: 'the entry at a countersigned checkpoint no longer matches (history rewritten)',
      });
    }
  }
  const entries = push.entries;
  for (let i = 1; i < entries.length; i += 1) {
    const expected = (entries[i - 1]?.seq ?? 0) + 1;
    if (entries[i]?.seq !== expected) {
      return conflict({ kind: 'gap', seq: expected, detail: 'the pushed chain skips sequence numbers' });
    }
  }
  const first = entries[0];
  let ackedSeq = device.ackedSeq;
  let ackedHash = device.ackedHash;
  let added: PushEntry[] = [];
  if (first !== undefined) {
    if (first.seq > ackedSeq + 1) {
      return {
        ok: false,
        error: new ApiError(409, 'OUT_OF_ORDER', `Expected entry ${ackedSeq + 1} next.`, ackedSeq + 1),
        issues: [],
      };
    }
    const last = entries[entries.length - 1] ?? first;
    if (first.seq <= ackedSeq) {
      const stored = await storedHashes(tx, deviceId, first.seq, Math.min(last.seq, ackedSeq));
      for (const entry of entries) {
        const hash = stored.get(entry.seq);
        if (entry.seq <= ackedSeq && hash !== entry.hash) {
          return conflict({
            kind: 'fork',
            seq: entry.seq,
            detail: 'a different entry was already stored at this sequence',
          });
        }
      }
    }
    added = entries.filter((entry) => entry.seq > ackedSeq);
    for (const entry of added) {
      if (entry.prevHash !== ackedHash) {
        return conflict({
          kind: 'fork',
          seq: entry.seq,
          detail: `prev_hash does not match the stored entry ${entry.seq - 1}`,
        });
      }
      if (chainHash(entry.prevHash, entry) !== entry.hash) {
        return {
          ok: false,
          error: new ApiError(400, 'HASH_MISMATCH', `Entry ${entry.seq} does not match its hash; nothing was stored.`),
          issues: [],
        };
      }
      ackedSeq = entry.seq;
      ackedHash = entry.hash;
    }
    const vault = attachmentVault(tx, secrets);
    const rows: AuditRow[] = [];
    for (const entry of added) {
      rows.push(await row(device, entry, vault));
    }
    await insertAuditRows(tx, device, rows, now);
    if (added.length > 0) {
      await publishFromEntries(tx, device, added, now, (request) =>
        holdBranchRequest(tx, secrets.signing, device.deviceId, request, now),
      );
      const shredRequested = applicantsToShred(added);
      const ownToShred = await registeredByBranch(tx, device.branchId, shredRequested);
      const withPersonalData = [
        ...new Set(
          added
            .filter((e) => e.subject !== null && e.attachment !== undefined && e.attachment.kind !== 'consent.receipt')
            .map((e) => e.subject ?? ''),
        ),
      ];
      await removePersonalData(tx, [
        ...shredRequested.filter((id) => ownToShred.has(id)),
        ...(await applicantsAlreadyWithdrawn(tx, withPersonalData)),
      ]);
    }
  }
  const countersigned = await countersign(tx, secrets, device, push, ackedSeq, entries, now, observer);
  if (!countersigned.ok) {
    // Entries this push added stay stored with the issue, so the acknowledged head still moves to them.
    return { ...countersigned, acked: { ackedSeq, ackedHash } };
  }
  return {
    ok: true,
    response: { ackedSeq, ackedHash, stored: added.length, lastPushId, countersignatures: countersigned.value },
  };
}

/** The stored row: personal parts of the attachment sealed under the applicant's key (attachment-vault.ts). */
async function row(device: typeof devices.$inferSelect, entry: PushEntry, vault: AttachmentVault): Promise<AuditRow> {
  const split = entry.attachment === undefined ? { open: null, personal: null } : splitAttachment(entry.attachment);
  // Personal data with no applicant to key it by is not kept at all.
  const sealed =
    split.personal === null || entry.subject === null || entry.attachment === undefined
      ? null
      : await vault.seal(entry.subject, device.deviceId, entry.seq, entry.attachment.kind, split.personal);
  return {
    seq: entry.seq,
    ts: entry.ts,
    actor: entry.actor,
    action: entry.action,
    subject: entry.subject,
    payload: entry.payload,
    prevHash: entry.prevHash,
    hash: entry.hash,
    attachmentKind: entry.attachment?.kind ?? null,
    attachment: split.open ?? null,
    attachmentSealed: sealed,
  };
}

async function storedHashes(tx: Tx, deviceId: string, from: number, to: number): Promise<Map<number, string>> {
  const rows = await tx
    .select({ seq: auditEntries.seq, hash: auditEntries.hash })
    .from(auditEntries)
    .where(and(eq(auditEntries.deviceId, deviceId), between(auditEntries.seq, from, to)))
    .orderBy(asc(auditEntries.seq));
  return new Map(rows.map((r) => [r.seq, r.hash]));
}

/** Countersigns the pushed checkpoints that the stored chain covers; a resend gets the stored countersignature. */
async function countersign(
  tx: Tx,
  secrets: ServerSecrets,
  device: typeof devices.$inferSelect,
  push: PushRequest,
  ackedSeq: number,
  entries: readonly PushEntry[],
  now: Date,
  observer: IngestObserver,
): Promise<{ ok: true; value: Countersignature[] } | Refusal> {
  const covered = push.checkpoints.filter((c) => c.seq <= ackedSeq);
  if (covered.length === 0) {
    return { ok: true, value: [] };
  }
  const seqs = covered.map((c) => c.seq);
  const already = new Map(
    (
      await tx
        .select()
        .from(countersignedCheckpoints)
        .where(and(eq(countersignedCheckpoints.deviceId, device.deviceId), inArray(countersignedCheckpoints.seq, seqs)))
    ).map((c) => [c.seq, c]),
  );
  const inBatch = new Map(entries.map((e) => [e.seq, e.hash]));
  const missing = seqs.filter((s) => !inBatch.has(s));
  const storedElsewhere = new Map<number, string>();
  if (missing.length > 0) {
    const rows = await tx
      .select({ seq: auditEntries.seq, hash: auditEntries.hash })
      .from(auditEntries)
      .where(and(eq(auditEntries.deviceId, device.deviceId), inArray(auditEntries.seq, missing)));
    for (const r of rows) {
      storedElsewhere.set(r.seq, r.hash);
    }
  }
  const publicKey = publicKeyFromBase64(device.publicKey);
  const out: Countersignature[] = [];
  for (const checkpoint of covered) {
    const storedHash = inBatch.get(checkpoint.seq) ?? storedElsewhere.get(checkpoint.seq);
    if (storedHash !== checkpoint.headHash) {
      return conflict({
        kind: 'fork',
        seq: checkpoint.seq,
        detail: 'a signed checkpoint does not match the stored chain',
      });
    }
    const previous = already.get(checkpoint.seq);
    if (previous !== undefined) {
      out.push(view(device.deviceId, previous));
      continue;
    }
    const message = checkpointMessage(device.deviceId, checkpoint.seq, checkpoint.headHash);
    if (!verifySignature(publicKey, message, checkpoint.signature)) {
      return conflict({
        kind: 'bad_signature',
        seq: checkpoint.seq,
        detail: "a checkpoint is not signed by the device's key",
      });
    }
    let serverSignature: string;
    try {
      serverSignature = secrets.signCountersignature(
        countersignatureMessage(device.deviceId, checkpoint.seq, checkpoint.headHash),
      );
    } catch (error) {
      observer.countersignFailed?.();
      throw error;
    }
    const record = {
      deviceId: device.deviceId,
      seq: checkpoint.seq,
      headHash: checkpoint.headHash,
      deviceSignature: checkpoint.signature,
      serverSignature,
      countersignedAt: now,
      keyId: secrets.signing.keyId,
    };
    await tx.insert(countersignedCheckpoints).values(record).onConflictDoNothing();
    out.push(view(device.deviceId, record));
  }
  return { ok: true, value: out };
}

export function view(
  deviceId: string,
  c: { seq: number; headHash: string; serverSignature: string; countersignedAt: Date; keyId: string },
): Countersignature {
  return {
    deviceId,
    seq: c.seq,
    headHash: c.headHash,
    serverSignature: c.serverSignature,
    keyId: c.keyId,
    countersignedAt: c.countersignedAt.toISOString(),
  };
}
