/**
 * The retention rule the consent receipt promises: an applicant's personal data is erased (crypto-shredded) once the
 * agreed term has run out, counted from the last decision on the applicant, or from registration when there is none.
 * Two things keep an applicant past the term: an open legal hold (set by a supervisor, with a reason) and an open
 * case (a referral a supervisor has not reviewed yet, or an override waiting for a second supervisor). The rule runs
 * when the workstation opens and once a day while it is open; the centre applies the same rule to what it holds
 * (server/sync/retention.ts). docs/data-lifecycle.md describes it for a data-protection officer.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { RETENTION_ACTOR, type LegalHoldReason } from '../../../shared/domain/consent';
import type { LegalHoldView, RetentionView } from '../../../shared/ipc/applicants';
import { addMonthsUtc } from '../../../shared/rules/months';
import { nameTokensOf, overrideNoteProblem } from '../../../shared/rules/override-note';
import type { ApplicantService } from '../applicants/applicant-service';
import type { Clock } from '../clock';
import { legalHolds } from '../db/schema';
import { NexisError } from '../errors';
import type { Store } from '../store';

export { RETENTION_ACTOR };

export const DAY_MS = 24 * 60 * 60 * 1000;

export const HOLD_NOTE_LABEL = 'Hold note';

/** The term's end: `iso` plus whole calendar months (shared with the centre's rule). */
export const addMonths = addMonthsUtc;

interface Candidate {
  readonly id: string;
  readonly createdAt: string;
  readonly lastDecision: string | null;
  readonly months: number | null;
  readonly held: number;
  readonly openReferral: number;
}

export type KeptBecause = 'legal-hold' | 'open-case' | 'term-unknown';

export interface RetentionRun {
  readonly at: string;
  /** Active applicants looked at. */
  readonly checked: number;
  readonly erased: readonly string[];
  /** Applicants past their term that were kept, and why. */
  readonly kept: readonly { readonly applicantId: string; readonly because: KeptBecause }[];
  /** Local backup files deleted because they are older than the backup term. */
  readonly expiredBackups: number;
}

// One query for every active applicant: the current term, the anchor and what may keep them. The latest receipt
// carries the term in force (a re-consent replaces it); "open referral" is a `refer` decision nothing supersedes.
const CANDIDATES_SQL = `
  SELECT a.id AS id, a.created_at AS createdAt,
    (SELECT max(d.created_at) FROM decisions d WHERE d.applicant_id = a.id) AS lastDecision,
    (SELECT r.retention_months FROM consent_receipts r WHERE r.applicant_id = a.id
      ORDER BY r.created_at DESC, r.rowid DESC LIMIT 1) AS months,
    EXISTS (SELECT 1 FROM legal_holds h WHERE h.applicant_id = a.id AND h.released_at IS NULL) AS held,
    EXISTS (SELECT 1 FROM decisions d WHERE d.applicant_id = a.id AND d.decision = 'refer'
      AND NOT EXISTS (SELECT 1 FROM decisions n WHERE n.supersedes = d.id)) AS openReferral
  FROM applicants a WHERE a.status = 'active'`;

export interface RetentionDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly applicants: ApplicantService;
  /** Cases the decision service still has open beyond a plain referral (an override awaiting a second supervisor). */
  readonly openCase?: (applicantId: string) => boolean;
  /** The workstation's local backups (`backups/` in the data folder); those older than `backupDays` are deleted. */
  readonly backupsDir?: string;
  readonly backupDays?: number;
}

/**
 * Local backups live at most this long (days). An applicant erased after a backup was taken stays readable in that
 * file (with the database key) until it expires; the erasure ledger keeps a restore of it from bringing them back.
 */
export const BACKUP_DAYS = 35;

/** `nexis-2026-01-05T08-00-00-000Z.db` → its time; null for any other name (never deleted). */
export function backupTime(name: string): Date | null {
  const match = /^nexis-(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z\.db$/.exec(name);
  if (match === null) {
    return null;
  }
  const [, day, h, m, s, ms] = match;
  const at = new Date(`${day ?? ''}T${h ?? ''}:${m ?? ''}:${s ?? ''}.${ms ?? ''}Z`);
  return Number.isNaN(at.getTime()) ? null : at;
}

export class RetentionService {
  readonly #d: RetentionDeps;

  constructor(deps: RetentionDeps) {
    this.#d = deps;
  }

  /** Erases every applicant whose term has run out and nothing keeps; each erasure is its own audited transaction. */
  run(): RetentionRun {
    const { store, clock, applicants } = this.#d;
    const now = clock.now();
    const candidates = store.read(() => store.sqlite.prepare<[], Candidate>(CANDIDATES_SQL).all());
    const erased: string[] = [];
    const kept: { applicantId: string; because: KeptBecause }[] = [];
    for (const c of candidates) {
      if (c.months === null) {
        kept.push({ applicantId: c.id, because: 'term-unknown' });
        continue;
      }
      if (addMonths(c.lastDecision ?? c.createdAt, c.months).getTime() > now.getTime()) {
        continue;
      }
      if (c.held === 1) {
        kept.push({ applicantId: c.id, because: 'legal-hold' });
      } else if (c.openReferral === 1 || this.#d.openCase?.(c.id) === true) {
        kept.push({ applicantId: c.id, because: 'open-case' });
      } else {
        applicants.erase(RETENTION_ACTOR, c.id, 'retention-expired', { checkpoint: false });
        erased.push(c.id);
      }
    }
    const at = now.toISOString();
    if (erased.length > 0 || kept.length > 0) {
      const count = (because: KeptBecause) => kept.filter((k) => k.because === because).length;
      store.transaction(() =>
        store.audit.append({
          actor: RETENTION_ACTOR,
          action: 'retention.applied',
          payload: {
            erased: erased.length,
            keptLegalHold: count('legal-hold'),
            keptOpenCase: count('open-case'),
            termUnknown: count('term-unknown'),
          },
        }),
      );
    }
    applicants.finishErasures(erased);
    const expiredBackups = this.#expireBackups(now);
    return { at, checked: candidates.length, erased, kept, expiredBackups };
  }

  #expireBackups(now: Date): number {
    const dir = this.#d.backupsDir;
    if (dir === undefined || !existsSync(dir)) {
      return 0;
    }
    const limit = now.getTime() - (this.#d.backupDays ?? BACKUP_DAYS) * DAY_MS;
    const expired = readdirSync(dir).filter((name) => {
      const at = backupTime(name);
      return at !== null && at.getTime() < limit;
    });
    for (const name of expired) {
      rmSync(join(dir, name), { force: true });
    }
    if (expired.length > 0) {
      const { store } = this.#d;
      store.transaction(() =>
        store.audit.append({
          actor: RETENTION_ACTOR,
          action: 'database.backup_expired',
          payload: { count: expired.length, days: this.#d.backupDays ?? BACKUP_DAYS },
        }),
      );
    }
    return expired.length;
  }

  /** Where the applicant stands against the rule, for the applicant screen. */
  view(applicantId: string): RetentionView | null {
    const { store } = this.#d;
    const c = store.read(() =>
      store.sqlite.prepare<[string], Candidate>(`${CANDIDATES_SQL} AND a.id = ?`).get(applicantId),
    );
    if (c === undefined) {
      return null;
    }
    const anchor = c.lastDecision ?? c.createdAt;
    return {
      months: c.months,
      countedFrom: c.lastDecision === null ? 'registration' : 'last-decision',
      anchorAt: anchor,
      dueAt: c.months === null ? null : addMonths(anchor, c.months).toISOString(),
      keptBy:
        c.held === 1 ? 'legal-hold' : c.openReferral === 1 || this.#d.openCase?.(c.id) === true ? 'open-case' : null,
      holds: this.holds(applicantId),
    };
  }

  holds(applicantId: string): LegalHoldView[] {
    const { store } = this.#d;
    return store.read(() =>
      store.db
        .select()
        .from(legalHolds)
        .where(eq(legalHolds.applicantId, applicantId))
        .orderBy(desc(legalHolds.setAt))
        .all(),
    );
  }

  /** A supervisor keeps the applicant past the retention term until the hold is released. */
  setHold(actorId: string, applicantId: string, reason: LegalHoldReason, note: string): LegalHoldView {
    const { store, clock, applicants } = this.#d;
    return store.transaction(() => {
      const row = applicants.requireActive(applicantId);
      const open = store.db
        .select({ id: legalHolds.id })
        .from(legalHolds)
        .where(and(eq(legalHolds.applicantId, row.id), isNull(legalHolds.releasedAt)))
        .get();
      if (open !== undefined) {
        throw new NexisError('CONFLICT', `The applicant is already under legal hold ${open.id}.`);
      }
      const written = this.#note(applicantId, note);
      const hold: LegalHoldView = {
        id: `LH-${randomBytes(8).toString('hex').toUpperCase()}`,
        applicantId,
        reason,
        note: written,
        setAt: clock.now().toISOString(),
        setBy: actorId,
        releasedAt: null,
        releasedBy: null,
      };
      store.db.insert(legalHolds).values(hold).run();
      // The note is free text: it stays in the table; the audit entry carries the reason code only.
      store.audit.append({
        actor: actorId,
        action: 'applicant.legal_hold_set',
        subject: applicantId,
        payload: { holdId: hold.id, reason },
      });
      return hold;
    });
  }

  releaseHold(actorId: string, holdId: string): LegalHoldView {
    const { store, clock } = this.#d;
    return store.transaction(() => {
      const hold = store.db.select().from(legalHolds).where(eq(legalHolds.id, holdId)).get();
      if (hold === undefined) {
        throw new NexisError('NOT_FOUND', 'No legal hold with this id on this workstation.');
      }
      if (hold.releasedAt !== null) {
        throw new NexisError('CONFLICT', 'This legal hold was already released.');
      }
      const releasedAt = clock.now().toISOString();
      store.db.update(legalHolds).set({ releasedAt, releasedBy: actorId }).where(eq(legalHolds.id, holdId)).run();
      store.audit.append({
        actor: actorId,
        action: 'applicant.legal_hold_released',
        subject: hold.applicantId,
        payload: { holdId, reason: hold.reason },
      });
      return { ...hold, releasedAt, releasedBy: actorId };
    });
  }

  /** The note names the matter, never people: the override-note rules apply (no names, numbers or e-mails). */
  #note(applicantId: string, note: string): string {
    const written = note.trim();
    if (written === '') {
      throw new NexisError('INVALID_INPUT', `${HOLD_NOTE_LABEL}: say what the hold is for (a case or file reference).`);
    }
    const tokens = nameTokensOf(this.#d.applicants.personal(applicantId, ['fullName'])?.fullName);
    const problem = overrideNoteProblem(written, tokens, { quote: false, label: HOLD_NOTE_LABEL });
    if (problem !== null) {
      throw new NexisError('INVALID_INPUT', problem);
    }
    return written;
  }
}
