/**
 * The applicant registry: registration after consent, encrypted personal data, blind-index search, audited reveal,
 * export and crypto-shredding erasure.
 */
import { randomBytes } from 'node:crypto';
import { and, count, desc, eq, inArray, like, sql } from 'drizzle-orm';
import { applicantIdFromBytes, normaliseApplicantId } from '../../../shared/domain/applicant-id';
import { LEGAL_AGE_YEARS, REQUIRED_PURPOSE } from '../../../shared/domain/consent';
import type {
  ApplicantSummary,
  ConsentInput,
  PersonalData,
  PersonalField,
  PossibleDuplicate,
} from '../../../shared/ipc/applicants';
import { PERSONAL_FIELDS } from '../../../shared/ipc/applicants';
import { applicantKeys, applicantPii, applicants, applicantSearch } from '../db/schema';
import { NexisError } from '../errors';
import type { Clock } from '../clock';
import type { Store } from '../store';
import type { ConsentService } from '../consent/consent-service';
import type { ErasureLedger } from '../lifecycle/erasure-ledger';
import type { SettingsService } from '../system/settings-service';
import { PAGE_FACTS_SQL, stageOf, type PageFactsRow } from './applicant-progress';
import { BlindIndex } from './blind-index';
import { upgradeBlindIndex } from './index-upgrade';
import type { PiiKeys } from './key-material';
import { fieldAad, newDataKey, open, seal, wrapAad } from './pii-crypto';
import { MASKED, maskEmail, maskName, maskNationalId, maskPhone } from './masking';

export type ApplicantRow = typeof applicants.$inferSelect;

export function ageInYears(dateOfBirth: string, now: Date): number {
  const [y, m, d] = dateOfBirth.split('-').map(Number) as [number, number, number];
  let age = now.getUTCFullYear() - y;
  if (now.getUTCMonth() + 1 < m || (now.getUTCMonth() + 1 === m && now.getUTCDate() < d)) {
    age -= 1;
  }
  return age;
}

export class ApplicantService {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #keys: PiiKeys;
  readonly #index: BlindIndex;
  readonly #consent: ConsentService;
  readonly #settings: SettingsService;
  readonly #ledger: ErasureLedger;
  #afterErasures: ((applicantIds: readonly string[]) => void) | undefined;

  constructor(
    store: Store,
    clock: Clock,
    keys: PiiKeys,
    consent: ConsentService,
    settings: SettingsService,
    ledger: ErasureLedger,
  ) {
    this.#ledger = ledger;
    this.#store = store;
    this.#clock = clock;
    this.#keys = keys;
    this.#index = new BlindIndex(keys.indexKey);
    this.#consent = consent;
    this.#settings = settings;
    // Before any search: tokens stored under older normalisation rules would no longer be found.
    upgradeBlindIndex(store, this.#index, (applicantId) => {
      const p = this.personal(applicantId, ['fullName', 'phone', 'nationalId']);
      return p === null ? null : { fullName: p.fullName ?? '', phone: p.phone ?? '', nationalId: p.nationalId ?? '' };
    });
  }

  /**
   * Applicants already registered with this national id or phone number, whatever way either was written: exact
   * blind-index tokens, so nothing is decrypted but the names of the few matches (shown masked).
   */
  possibleDuplicates(person: { phone: string; nationalId: string }): PossibleDuplicate[] {
    const byToken = this.#duplicateTokens(person);
    if (byToken.size === 0) {
      return [];
    }
    return this.#store.read(() => {
      const matched = this.#matchesByApplicant(byToken);
      const out: PossibleDuplicate[] = [];
      for (const [applicantId, on] of matched) {
        const row = this.get(applicantId);
        const p = row.status === 'active' ? this.personal(applicantId, ['fullName']) : null;
        if (p !== null) {
          out.push({
            applicantId,
            maskedName: maskName(p.fullName ?? ''),
            createdAt: row.createdAt,
            matchedOn: (['nationalId', 'phone'] as const).filter((f) => on.has(f)),
          });
        }
      }
      return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    });
  }

  /** Ids of the applicants with this national id or phone number, oldest id first; nothing is decrypted. */
  #matchingApplicants(person: { phone: string; nationalId: string }): string[] {
    const byToken = this.#duplicateTokens(person);
    return byToken.size === 0 ? [] : [...this.#matchesByApplicant(byToken).keys()].sort();
  }

  #duplicateTokens(person: { phone: string; nationalId: string }): Map<string, 'nationalId' | 'phone'> {
    const byToken = new Map<string, 'nationalId' | 'phone'>();
    const nid = this.#index.nationalIdToken(person.nationalId);
    const phone = this.#index.phoneNumberToken(person.phone);
    if (nid !== null) {
      byToken.set(nid, 'nationalId');
    }
    if (phone !== null) {
      byToken.set(phone, 'phone');
    }
    return byToken;
  }

  #matchesByApplicant(byToken: Map<string, 'nationalId' | 'phone'>): Map<string, Set<'nationalId' | 'phone'>> {
    const hits = this.#store.db
      .select({ token: applicantSearch.token, applicantId: applicantSearch.applicantId })
      .from(applicantSearch)
      .where(inArray(applicantSearch.token, [...byToken.keys()]))
      .all();
    const matched = new Map<string, Set<'nationalId' | 'phone'>>();
    for (const hit of hits) {
      const on = byToken.get(hit.token);
      if (on !== undefined) {
        matched.set(hit.applicantId, (matched.get(hit.applicantId) ?? new Set()).add(on));
      }
    }
    return matched;
  }

  register(
    officerId: string,
    personal: PersonalData,
    consent: ConsentInput,
  ): { applicantId: string; receiptId: string } {
    if (!consent.grants[REQUIRED_PURPOSE]) {
      throw new NexisError(
        'CONSENT_REQUIRED',
        'Registration needs consent to credit scoring: without it there is nothing to assess.',
      );
    }
    const now = this.#clock.now();
    if (ageInYears(personal.dateOfBirth, now) < LEGAL_AGE_YEARS) {
      throw new NexisError(
        'INVALID_INPUT',
        `Invalid input — dateOfBirth: the applicant must be at least ${LEGAL_AGE_YEARS} years old.`,
      );
    }
    const organisation = this.#settings.organisation();
    if (organisation === null) {
      throw new NexisError(
        'CONFLICT',
        "An administrator must enter the bank's controller details in Settings before applicants can be registered.",
      );
    }
    this.#consent.checkNotice(consent);
    return this.#store.transaction(() => {
      // Found before this applicant's own tokens exist. The form warns of them first; the audit entry records that
      // the registration went ahead anyway.
      const possibleDuplicatesOf = this.#matchingApplicants(personal);
      const applicantId = this.#newId();
      this.#store.db
        .insert(applicants)
        .values({ id: applicantId, status: 'active', createdAt: now.toISOString(), createdBy: officerId })
        .run();
      // The consent comes first: nothing else about the applicant is stored before it.
      const receiptId = this.#consent.record({ applicantId, officerId, consent, organisation });
      const dataKey = newDataKey();
      this.#store.db
        .insert(applicantKeys)
        .values({ applicantId, wrappedKey: seal(this.#keys.kek, dataKey, wrapAad(applicantId)) })
        .run();
      for (const field of PERSONAL_FIELDS) {
        const value = personal[field];
        if (value !== undefined && value !== '') {
          this.#store.db
            .insert(applicantPii)
            .values({
              applicantId,
              field,
              ciphertext: seal(dataKey, Buffer.from(value, 'utf8'), fieldAad(applicantId, field)),
            })
            .run();
        }
      }
      const tokens = this.#index.tokensFor(personal);
      for (const token of tokens) {
        this.#store.db.insert(applicantSearch).values({ token, applicantId }).run();
      }
      dataKey.fill(0);
      this.#store.audit.append({
        actor: officerId,
        action: 'applicant.registered',
        subject: applicantId,
        // Pseudonymous ids only: who this registration resembles, so a double registration can be traced.
        payload: { receiptId, ...(possibleDuplicatesOf.length > 0 ? { possibleDuplicatesOf } : {}) },
      });
      return { applicantId, receiptId };
    });
  }

  get(applicantId: string): ApplicantRow {
    const row = this.#store.read(() =>
      this.#store.db.select().from(applicants).where(eq(applicants.id, applicantId)).get(),
    );
    if (!row) {
      throw new NexisError('NOT_FOUND', 'No applicant with this id on this workstation.');
    }
    return row;
  }

  /** Whether this workstation holds the applicant, not erased (false for an id it never had). */
  isActive(applicantId: string): boolean {
    const row = this.#store.read(() =>
      this.#store.db.select({ status: applicants.status }).from(applicants).where(eq(applicants.id, applicantId)).get(),
    );
    return row?.status === 'active';
  }

  requireActive(applicantId: string): ApplicantRow {
    const row = this.get(applicantId);
    if (row.status === 'erased') {
      throw new NexisError('CONFLICT', "This applicant's personal data was erased.");
    }
    return row;
  }

  /** The applicant's data key, or null once erased. Callers must not keep it. */
  dataKey(applicantId: string): Buffer | null {
    const row = this.#store.read(() =>
      this.#store.db.select().from(applicantKeys).where(eq(applicantKeys.applicantId, applicantId)).get(),
    );
    return row ? open(this.#keys.kek, row.wrappedKey, wrapAad(applicantId)) : null;
  }

  /** Decrypts the given personal fields (all by default); null when erased. */
  personal(
    applicantId: string,
    fields: readonly PersonalField[] = PERSONAL_FIELDS,
  ): Partial<Record<PersonalField, string>> | null {
    const key = this.dataKey(applicantId);
    if (key === null) {
      return null;
    }
    const rows = this.#store.read(() =>
      this.#store.db
        .select()
        .from(applicantPii)
        .where(and(eq(applicantPii.applicantId, applicantId), inArray(applicantPii.field, [...fields])))
        .all(),
    );
    const out: Partial<Record<PersonalField, string>> = {};
    for (const row of rows) {
      out[row.field as PersonalField] = open(key, row.ciphertext, fieldAad(applicantId, row.field)).toString('utf8');
    }
    key.fill(0);
    return out;
  }

  /** Names and phones of a page of applicants: two statements for the page, each key used and wiped at once. */
  #pageNames(ids: readonly string[]): Map<string, { fullName: string; phone: string }> {
    const out = new Map<string, { fullName: string; phone: string }>();
    if (ids.length === 0) {
      return out;
    }
    const json = JSON.stringify(ids);
    const keys = this.#store.sqlite
      .prepare<[string], { applicantId: string; wrappedKey: string }>(
        'SELECT applicant_id AS applicantId, wrapped_key AS wrappedKey FROM applicant_keys ' +
          'WHERE applicant_id IN (SELECT value FROM json_each(?))',
      )
      .all(json);
    const fields = this.#store.sqlite
      .prepare<[string], { applicantId: string; field: string; ciphertext: string }>(
        "SELECT applicant_id AS applicantId, field, ciphertext FROM applicant_pii WHERE field IN ('fullName', 'phone') " +
          'AND applicant_id IN (SELECT value FROM json_each(?))',
      )
      .all(json);
    const byApplicant = new Map<string, { field: string; ciphertext: string }[]>();
    for (const f of fields) {
      byApplicant.set(f.applicantId, [...(byApplicant.get(f.applicantId) ?? []), f]);
    }
    for (const { applicantId, wrappedKey } of keys) {
      const key = open(this.#keys.kek, wrappedKey, wrapAad(applicantId));
      const person = { fullName: '', phone: '' };
      for (const f of byApplicant.get(applicantId) ?? []) {
        const value = open(key, f.ciphertext, fieldAad(applicantId, f.field)).toString('utf8');
        if (f.field === 'fullName') {
          person.fullName = value;
        } else {
          person.phone = value;
        }
      }
      key.fill(0);
      out.set(applicantId, person);
    }
    return out;
  }

  masked(applicantId: string) {
    const p = this.personal(applicantId);
    if (p === null) {
      return null;
    }
    return {
      fullName: maskName(p.fullName ?? ''),
      phone: maskPhone(p.phone ?? ''),
      email: p.email === undefined ? null : maskEmail(p.email),
      nationalId: maskNationalId(p.nationalId ?? ''),
      address: p.address === undefined ? null : MASKED,
      dateOfBirth: MASKED,
    };
  }

  reveal(officerId: string, applicantId: string, field: PersonalField): string | null {
    this.requireActive(applicantId);
    const value = this.personal(applicantId, [field])?.[field] ?? null;
    this.#store.transaction(() =>
      this.#store.audit.append({
        actor: officerId,
        action: 'applicant.pii_revealed',
        subject: applicantId,
        payload: { field },
      }),
    );
    return value;
  }

  /**
   * Lists newest first; a query searches ids by prefix, or names and phones through the blind index; `registeredBy`
   * keeps one officer's applicants (their queue). Each row says where the applicant stands and the latest score.
   */
  list(
    query: string | undefined,
    page: number,
    pageSize: number,
    registeredBy?: string,
  ): { items: ApplicantSummary[]; total: number } {
    const db = this.#store.db;
    const search = this.#searchCondition(query);
    if (search === 'none') {
      return { items: [], total: 0 };
    }
    const where = registeredBy === undefined ? search : and(search, eq(applicants.createdBy, registeredBy));
    return this.#store.read(() => {
      const total = db.select({ n: count() }).from(applicants).where(where).get()?.n ?? 0;
      const rows = db
        .select()
        .from(applicants)
        .where(where)
        .orderBy(desc(applicants.createdAt), desc(applicants.id))
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .all();
      const facts = new Map(
        this.#store.sqlite
          .prepare<[string], PageFactsRow>(PAGE_FACTS_SQL)
          .all(JSON.stringify(rows.map((r) => r.id)))
          .map((f) => [f.id, f]),
      );
      const names = this.#pageNames(rows.filter((r) => r.status === 'active').map((r) => r.id));
      const items = rows.map((row): ApplicantSummary => {
        const f = facts.get(row.id);
        const p = names.get(row.id);
        const scoringConsent = f?.scoringEvent === 'granted';
        return {
          applicantId: row.id,
          maskedName: p ? maskName(p.fullName) : '(erased)',
          maskedPhone: p ? maskPhone(p.phone) : '',
          status: row.status,
          createdAt: row.createdAt,
          createdBy: row.createdBy,
          scoringConsent,
          ...stageOf({
            status: row.status,
            scoringConsent,
            score: f?.score ?? null,
            band: f?.band ?? null,
            scoredRecordId: f?.scoredRecordId ?? null,
            latestRecordId: f?.latestRecordId ?? null,
            decision: f?.decision ?? null,
            pendingApproval: f?.pendingApproval === 1,
          }),
        };
      });
      return { items, total };
    });
  }

  #searchCondition(query: string | undefined) {
    const trimmed = query?.trim() ?? '';
    if (trimmed === '') {
      return undefined;
    }
    const asId = normaliseApplicantId(trimmed);
    if (/^NEX-[0-9A-Z-]*$/.test(asId)) {
      return like(applicants.id, `${asId.replace(/[%_]/g, '')}%`);
    }
    const tokens = this.#index.queryTokens(trimmed);
    if (tokens === null) {
      return 'none' as const;
    }
    if ('any' in tokens) {
      return inArray(
        applicants.id,
        this.#store.db
          .selectDistinct({ id: applicantSearch.applicantId })
          .from(applicantSearch)
          .where(inArray(applicantSearch.token, tokens.any)),
      );
    }
    return inArray(
      applicants.id,
      this.#store.db
        .select({ id: applicantSearch.applicantId })
        .from(applicantSearch)
        .where(inArray(applicantSearch.token, tokens.all))
        .groupBy(applicantSearch.applicantId)
        .having(sql`count(distinct ${applicantSearch.token}) = ${tokens.all.length}`),
    );
  }

  /** Crypto-shredding: the data key and the search tokens go; ciphertexts left anywhere can no longer be read. */
  erase(
    actorId: string,
    applicantId: string,
    reason: string,
    options: { readonly checkpoint?: boolean; readonly reapplied?: boolean } = {},
  ): { applicantId: string; erasedAt: string } {
    this.requireActive(applicantId);
    const erasedAt = this.#clock.now().toISOString();
    // The ledger first (fsynced): an erasure a crash interrupts is finished at the next open, and one a restored
    // backup predates is applied again (electron/core/lifecycle/erasure-ledger.ts).
    if (options.reapplied !== true) {
      this.#ledger.record({ applicantId, erasedAt, reason });
    }
    const erased = this.#store.transaction(() => {
      this.requireActive(applicantId);
      const db = this.#store.db;
      db.delete(applicantKeys).where(eq(applicantKeys.applicantId, applicantId)).run();
      db.delete(applicantPii).where(eq(applicantPii.applicantId, applicantId)).run();
      db.delete(applicantSearch).where(eq(applicantSearch.applicantId, applicantId)).run();
      db.update(applicants).set({ status: 'erased', erasedAt }).where(eq(applicants.id, applicantId)).run();
      this.#store.audit.append({
        actor: actorId,
        action: 'applicant.erased',
        subject: applicantId,
        payload: options.reapplied === true ? { reason, reapplied: true } : { reason },
      });
      return { applicantId, erasedAt };
    });
    // The overwritten pages' previous versions are still in the WAL until a checkpoint; a batch finishes once.
    if (options.checkpoint !== false) {
      this.finishErasures([applicantId]);
    }
    return erased;
  }

  /**
   * After erasures commit: the WAL is checkpointed and truncated, and the workstation's older copies of the database
   * (local backups, databases a restore set aside) lose the same applicants (lifecycle/backup-scrub.ts).
   */
  finishErasures(applicantIds: readonly string[]): void {
    if (applicantIds.length === 0) {
      return;
    }
    this.#store.checkpoint();
    this.#afterErasures?.(applicantIds);
  }

  /** Set by the workstation: what else an erasure must reach (its database copies). */
  onErasures(work: (applicantIds: readonly string[]) => void): void {
    this.#afterErasures = work;
  }

  /**
   * Erases again every applicant the ledger names that this database still holds (a restored backup, or a crash
   * between the ledger and the commit). Runs when the workstation opens, before anything else reads applicants.
   */
  reapplyLedger(): string[] {
    const again: string[] = [];
    for (const entry of this.#ledger.entries()) {
      const row = this.#store.read(() =>
        this.#store.db
          .select({ status: applicants.status })
          .from(applicants)
          .where(eq(applicants.id, entry.applicantId))
          .get(),
      );
      if (row?.status === 'active') {
        this.erase('system', entry.applicantId, entry.reason, { checkpoint: false, reapplied: true });
        again.push(entry.applicantId);
      }
    }
    this.finishErasures(again);
    return again;
  }

  #newId(): string {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const id = applicantIdFromBytes(randomBytes(7));
      if (!this.#store.db.select({ id: applicants.id }).from(applicants).where(eq(applicants.id, id)).get()) {
        return id;
      }
    }
    throw new NexisError('INTERNAL', 'Could not allocate a unique applicant id.');
  }
}
