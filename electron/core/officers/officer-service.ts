/** Officer accounts: first-run admin, creation, disable/enable, password resets, sign-in with lockout. */
import { randomBytes } from 'node:crypto';
import { asc, count, eq } from 'drizzle-orm';
import type { Role } from '../../../shared/domain/roles';
import type { OfficerView } from '../../../shared/ipc/auth';
import { officers } from '../db/schema';
import { NexisError } from '../errors';
import type { Clock } from '../clock';
import type { Store } from '../store';
import { DEFAULT_SCRYPT_COST, hashPassword, passwordPolicyProblem, verifyPassword, type ScryptCost } from './passwords';

export type OfficerRow = typeof officers.$inferSelect;

export const MAX_FAILED_SIGN_INS = 5;
export const LOCKOUT_MS = 15 * 60 * 1000;

export interface NewOfficer {
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  readonly password: string;
}

export function toOfficerView(row: OfficerRow): OfficerView {
  return {
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    role: row.role,
    status: row.status,
    mustChangePassword: row.mustChangePassword,
    lockedUntil: row.lockedUntil,
    createdAt: row.createdAt,
  };
}

const INVALID_CREDENTIALS = 'Unknown username or wrong password.';

export class OfficerService {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #cost: ScryptCost;
  /** Hash checked when the username is unknown, so both failures take the same time. */
  #dummyHash: Promise<string> | null = null;

  constructor(store: Store, clock: Clock, cost: ScryptCost = DEFAULT_SCRYPT_COST) {
    this.#store = store;
    this.#clock = clock;
    this.#cost = cost;
  }

  count(): number {
    return this.#store.read(() => this.#store.db.select({ n: count() }).from(officers).get()?.n ?? 0);
  }

  list(): OfficerView[] {
    return this.#store
      .read(() => this.#store.db.select().from(officers).orderBy(asc(officers.username)).all())
      .map(toOfficerView);
  }

  get(id: string): OfficerRow {
    const row = this.#store.read(() => this.#store.db.select().from(officers).where(eq(officers.id, id)).get());
    if (!row) {
      throw new NexisError('NOT_FOUND', 'No such officer account.');
    }
    return row;
  }

  /** First-run setup: refused once any officer exists. */
  async setupFirstAdmin(input: Omit<NewOfficer, 'role'>): Promise<OfficerRow> {
    if (this.count() > 0) {
      throw new NexisError('SETUP_DONE', 'This workstation is already set up. Sign in instead.');
    }
    const passwordHash = await this.#hashChecked(input.password, input.username);
    return this.#store.transaction(() => {
      if (this.count() > 0) {
        throw new NexisError('SETUP_DONE', 'This workstation is already set up. Sign in instead.');
      }
      const row = this.#insert({ ...input, role: 'admin' }, passwordHash, false);
      this.#store.audit.append({
        actor: row.id,
        action: 'officer.first_admin_created',
        subject: row.id,
        payload: { role: 'admin' },
      });
      return row;
    });
  }

  async create(actorId: string, input: NewOfficer): Promise<OfficerView> {
    const passwordHash = await this.#hashChecked(input.password, input.username);
    return this.#store.transaction(() => {
      const existing = this.#store.db
        .select({ id: officers.id })
        .from(officers)
        .where(eq(officers.username, input.username))
        .get();
      if (existing) {
        throw new NexisError('CONFLICT', `The username "${input.username}" is taken.`);
      }
      const row = this.#insert(input, passwordHash, true);
      this.#store.audit.append({
        actor: actorId,
        action: 'officer.created',
        subject: row.id,
        payload: { role: row.role },
      });
      return toOfficerView(row);
    });
  }

  /**
   * An account published by the bank (sync pull `officer.upsert`), applied with actor `system` and audited.
   * A new account gets no usable password: an administrator here gives it a one-time password (reset), which the
   * officer must change at first sign-in, so no password ever travels through the central API. `ignored`: nothing
   * changes; `rejected`: the username belongs to another local account, or the change would disable the last
   * active administrator.
   */
  async upsertFromCentral(input: {
    officerId: string;
    username: string;
    role: Role;
    status: 'active' | 'disabled';
  }): Promise<'applied' | 'ignored' | 'rejected'> {
    const unusable = await hashPassword(randomBytes(32).toString('base64url'), this.#cost);
    return this.#store.transaction(() => {
      const byName = this.#store.db
        .select({ id: officers.id })
        .from(officers)
        .where(eq(officers.username, input.username))
        .get();
      if (byName !== undefined && byName.id !== input.officerId) {
        return 'rejected';
      }
      const existing = this.#store.db.select().from(officers).where(eq(officers.id, input.officerId)).get();
      if (existing === undefined) {
        const now = this.#clock.now().toISOString();
        this.#store.db
          .insert(officers)
          .values({
            id: input.officerId,
            username: input.username,
            displayName: input.username,
            role: input.role,
            status: input.status,
            passwordHash: unusable,
            mustChangePassword: true,
            failedAttempts: 0,
            lockedUntil: null,
            createdAt: now,
            updatedAt: now,
          })
          .run();
      } else {
        if (existing.role === input.role && existing.status === input.status && existing.username === input.username) {
          return 'ignored';
        }
        const losesAdmin =
          existing.role === 'admin' &&
          existing.status === 'active' &&
          (input.role !== 'admin' || input.status !== 'active');
        if (losesAdmin && this.#activeAdmins() <= 1) {
          return 'rejected';
        }
        this.#update(input.officerId, { username: input.username, role: input.role, status: input.status });
      }
      this.#store.audit.append({
        actor: 'system',
        action: 'officer.synced',
        subject: input.officerId,
        payload: { role: input.role, status: input.status, created: existing === undefined },
      });
      return 'applied';
    });
  }

  setStatus(actorId: string, officerId: string, status: 'active' | 'disabled'): OfficerView {
    if (actorId === officerId && status === 'disabled') {
      throw new NexisError('FORBIDDEN', 'You cannot disable your own account.');
    }
    return this.#store.transaction(() => {
      const row = this.get(officerId);
      if (status === 'disabled' && row.role === 'admin' && this.#activeAdmins() <= 1) {
        throw new NexisError('CONFLICT', 'The last active administrator cannot be disabled.');
      }
      const updated = this.#update(officerId, { status, failedAttempts: 0, lockedUntil: null });
      this.#store.audit.append({
        actor: actorId,
        action: status === 'disabled' ? 'officer.disabled' : 'officer.enabled',
        subject: officerId,
      });
      return toOfficerView(updated);
    });
  }

  async resetPassword(actorId: string, officerId: string, newPassword: string): Promise<OfficerView> {
    const target = this.get(officerId);
    const passwordHash = await this.#hashChecked(newPassword, target.username);
    return this.#store.transaction(() => {
      const updated = this.#update(officerId, {
        passwordHash,
        mustChangePassword: true,
        failedAttempts: 0,
        lockedUntil: null,
      });
      this.#store.audit.append({ actor: actorId, action: 'officer.password_reset', subject: officerId });
      return toOfficerView(updated);
    });
  }

  async changePassword(officerId: string, currentPassword: string, newPassword: string): Promise<OfficerRow> {
    const row = this.get(officerId);
    if (!(await verifyPassword(currentPassword, row.passwordHash))) {
      throw new NexisError('INVALID_CREDENTIALS', 'The current password is wrong.');
    }
    if (currentPassword === newPassword) {
      throw new NexisError('PASSWORD_POLICY', 'The new password must differ from the current one.');
    }
    const passwordHash = await this.#hashChecked(newPassword, row.username);
    return this.#store.transaction(() => {
      const updated = this.#update(officerId, { passwordHash, mustChangePassword: false });
      this.#store.audit.append({ actor: officerId, action: 'officer.password_changed', subject: officerId });
      return updated;
    });
  }

  /**
   * Checks a username and password. Five failures in a row lock the account for 15 minutes (audited); a locked or
   * disabled account is refused before the password is even checked.
   */
  async authenticate(username: string, password: string): Promise<OfficerRow> {
    const row = this.#store.read(() =>
      this.#store.db.select().from(officers).where(eq(officers.username, username)).get(),
    );
    if (!row) {
      await verifyPassword(password, await this.#dummy());
      this.#store.transaction(() =>
        this.#store.audit.append({
          actor: 'anonymous',
          action: 'auth.sign_in_failed',
          payload: { reason: 'unknown-user' },
        }),
      );
      throw new NexisError('INVALID_CREDENTIALS', INVALID_CREDENTIALS);
    }
    return this.checkPassword(row.id, password, 'auth.signed_in');
  }

  /** Password check for a known officer (sign-in or unlock), with the same lockout accounting. */
  async checkPassword(officerId: string, password: string, successAction: string): Promise<OfficerRow> {
    const row = this.get(officerId);
    this.#refuseUnusable(row);
    const good = await verifyPassword(password, row.passwordHash);
    return (
      this.#store.transaction(() => {
        const current = this.get(officerId);
        this.#refuseUnusable(current);
        if (good) {
          const updated = this.#update(officerId, { failedAttempts: 0, lockedUntil: null });
          this.#store.audit.append({ actor: officerId, action: successAction, subject: officerId });
          return updated;
        }
        const failedAttempts = current.failedAttempts + 1;
        if (failedAttempts >= MAX_FAILED_SIGN_INS) {
          const lockedUntil = new Date(this.#clock.now().getTime() + LOCKOUT_MS).toISOString();
          this.#update(officerId, { failedAttempts: 0, lockedUntil });
          this.#store.audit.append({
            actor: officerId,
            action: 'auth.locked_out',
            subject: officerId,
            payload: { failedAttempts, lockedUntil },
          });
          return null;
        }
        this.#update(officerId, { failedAttempts });
        this.#store.audit.append({
          actor: officerId,
          action: 'auth.sign_in_failed',
          subject: officerId,
          payload: { failedAttempts },
        });
        return undefined;
      }) ?? this.#failAfterCommit(officerId)
    );
  }

  #failAfterCommit(officerId: string): never {
    const row = this.get(officerId);
    if (row.lockedUntil !== null) {
      throw new NexisError(
        'ACCOUNT_LOCKED',
        `Too many failed attempts: the account is locked until ${row.lockedUntil}. An administrator can unlock it.`,
      );
    }
    throw new NexisError('INVALID_CREDENTIALS', INVALID_CREDENTIALS);
  }

  #refuseUnusable(row: OfficerRow): void {
    if (row.status === 'disabled') {
      throw new NexisError('ACCOUNT_DISABLED', 'This account is disabled. Ask an administrator.');
    }
    if (row.lockedUntil !== null && new Date(row.lockedUntil).getTime() > this.#clock.now().getTime()) {
      throw new NexisError(
        'ACCOUNT_LOCKED',
        `Too many failed attempts: the account is locked until ${row.lockedUntil}. An administrator can unlock it.`,
      );
    }
  }

  #activeAdmins(): number {
    return this.#store.db
      .select({ id: officers.id, role: officers.role, status: officers.status })
      .from(officers)
      .all()
      .filter((o) => o.role === 'admin' && o.status === 'active').length;
  }

  async #hashChecked(password: string, username: string): Promise<string> {
    const problem = passwordPolicyProblem(password, username);
    if (problem !== null) {
      throw new NexisError('PASSWORD_POLICY', problem);
    }
    return hashPassword(password, this.#cost);
  }

  #dummy(): Promise<string> {
    this.#dummyHash ??= hashPassword(randomBytes(16).toString('hex'), this.#cost);
    return this.#dummyHash;
  }

  #insert(input: NewOfficer, passwordHash: string, mustChangePassword: boolean): OfficerRow {
    const now = this.#clock.now().toISOString();
    const row: OfficerRow = {
      id: `OFF-${randomBytes(8).toString('hex').toUpperCase()}`,
      username: input.username,
      displayName: input.displayName,
      role: input.role,
      status: 'active',
      passwordHash,
      mustChangePassword,
      failedAttempts: 0,
      lockedUntil: null,
      createdAt: now,
      updatedAt: now,
    };
    this.#store.db.insert(officers).values(row).run();
    return row;
  }

  #update(id: string, changes: Partial<Omit<OfficerRow, 'id'>>): OfficerRow {
    const updated = this.#store.db
      .update(officers)
      .set({ ...changes, updatedAt: this.#clock.now().toISOString() })
      .where(eq(officers.id, id))
      .returning()
      .get();
    if (!updated) {
      throw new NexisError('NOT_FOUND', 'No such officer account.');
    }
    return updated;
  }
}
