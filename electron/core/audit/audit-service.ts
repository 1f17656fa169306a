/** Reading and verifying the audit trail for the audit screen and the CLI. */
import { and, count, desc, eq, gte, lte, type SQL } from 'drizzle-orm';
import type { AuditEntryView, AuditQuery, AuditVerification } from '../../../shared/ipc/audit';
import { auditCheckpoints, auditLog } from '../db/schema';
import type { Clock } from '../clock';
import type { DeviceKey } from '../crypto/device-key';
import type { Store } from '../store';
import { getMeta, setMeta } from '../system/meta-store';
import { verifyAuditChain, type IntegritySource } from './verify';

const LAST_VERIFICATION = 'audit.lastVerification';

export interface LastVerification {
  ok: boolean;
  at: string;
  firstBadSeq: number | null;
}

function toEntryView(row: typeof auditLog.$inferSelect): AuditEntryView {
  return {
    seq: row.seq,
    ts: row.ts,
    actor: row.actor,
    action: row.action,
    subject: row.subject,
    payload: JSON.parse(row.payload) as Record<string, unknown>,
    hash: row.hash,
  };
}

export class AuditService {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #deviceKey: DeviceKey;
  readonly #integrity: IntegritySource | undefined;

  constructor(store: Store, clock: Clock, deviceKey: DeviceKey, integrity?: IntegritySource) {
    this.#store = store;
    this.#clock = clock;
    this.#deviceKey = deviceKey;
    this.#integrity = integrity;
  }

  list(query: AuditQuery): { entries: AuditEntryView[]; total: number; actions: string[] } {
    const { db } = this.#store;
    const filters: SQL[] = [];
    if (query.action !== undefined && query.action !== '') {
      filters.push(eq(auditLog.action, query.action));
    }
    if (query.actor !== undefined && query.actor !== '') {
      filters.push(eq(auditLog.actor, query.actor));
    }
    if (query.from !== undefined) {
      filters.push(gte(auditLog.ts, query.from));
    }
    if (query.to !== undefined) {
      filters.push(lte(auditLog.ts, query.to));
    }
    const where = filters.length > 0 ? and(...filters) : undefined;
    return this.#store.read(() => {
      const total = db.select({ n: count() }).from(auditLog).where(where).get()?.n ?? 0;
      const rows = db
        .select()
        .from(auditLog)
        .where(where)
        .orderBy(desc(auditLog.seq))
        .limit(query.pageSize)
        .offset((query.page - 1) * query.pageSize)
        .all();
      const actions = db.selectDistinct({ action: auditLog.action }).from(auditLog).orderBy(auditLog.action).all();
      return {
        total,
        actions: actions.map((a) => a.action),
        entries: rows.map(toEntryView),
      };
    });
  }

  /** Verifies the chain, remembers the outcome for the status panel, and audits that a verification ran. */
  async verify(actorId: string): Promise<AuditVerification> {
    const started = performance.now();
    const result = await verifyAuditChain(this.#store.sqlite, this.#deviceKey, this.#integrity);
    const durationMs = Math.round((performance.now() - started) * 10) / 10;
    const verifiedAt = this.#clock.now().toISOString();
    const last: LastVerification = {
      ok: result.ok,
      at: verifiedAt,
      firstBadSeq: result.ok ? null : result.firstBadSeq,
    };
    try {
      this.#store.transaction(() => {
        setMeta(this.#store.db, LAST_VERIFICATION, JSON.stringify(last));
        this.#store.audit.append({
          actor: actorId,
          action: 'audit.verified',
          payload: result.ok ? { ok: true, entries: result.entries } : { ok: false, firstBadSeq: result.firstBadSeq },
        });
      });
    } catch (error) {
      // A damaged file may refuse the write; the finding itself must still reach the person who asked.
      if (result.ok) {
        throw error;
      }
    }
    return { ...result, verifiedAt, durationMs };
  }

  /** Every entry about one subject, oldest first (an applicant's timeline). */
  forSubject(subject: string): AuditEntryView[] {
    return this.#store.read(() =>
      this.#store.db
        .select()
        .from(auditLog)
        .where(eq(auditLog.subject, subject))
        .orderBy(auditLog.seq)
        .all()
        .map(toEntryView),
    );
  }

  lastVerification(): LastVerification | null {
    const raw = this.#store.read(() => getMeta(this.#store.db, LAST_VERIFICATION));
    return raw === undefined ? null : (JSON.parse(raw) as LastVerification);
  }

  lastCheckpointSeq(): number {
    return this.#store.read(
      () =>
        this.#store.db
          .select({ seq: auditCheckpoints.seq })
          .from(auditCheckpoints)
          .orderBy(desc(auditCheckpoints.seq))
          .limit(1)
          .get()?.seq ?? 0,
    );
  }
}
