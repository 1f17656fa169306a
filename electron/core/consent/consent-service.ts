/**
 * Consent receipts and their event history. Purpose state is derived from the events, newest first; scoring and
 * sync call `requireActive` before they touch an applicant's data, so a withdrawal takes effect immediately.
 */
import { randomBytes } from 'node:crypto';
import { and, asc, desc, eq } from 'drizzle-orm';
import { CONSENT_PURPOSES, type ConsentPurpose } from '../../../shared/domain/consent';
import type { ConsentInput, PurposeState, SignedReceipt } from '../../../shared/ipc/applicants';
import { ConsentReceipt } from '../../../shared/ipc/applicants';
import type { Organisation } from '../../../shared/ipc/system';
import { consentEvents, consentReceipts } from '../db/schema';
import { canonicalJson, publicKeyFromBase64, verifySignature, type JsonValue } from '../../../audit-chain';
import type { DeviceKey } from '../crypto/device-key';
import { NexisError, withAuditChainErrors } from '../errors';
import type { Clock } from '../clock';
import type { Store } from '../store';
import { buildReceipt } from './receipt';
import type { NoticeLibrary } from './notices';

export class ConsentService {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #deviceKey: DeviceKey;
  readonly #notices: NoticeLibrary;

  constructor(store: Store, clock: Clock, deviceKey: DeviceKey, notices: NoticeLibrary) {
    this.#store = store;
    this.#clock = clock;
    this.#deviceKey = deviceKey;
    this.#notices = notices;
  }

  get notices(): NoticeLibrary {
    return this.#notices;
  }

  /** Refuses a consent given against another notice text than the current one for its language. */
  checkNotice(consent: ConsentInput): void {
    const notice = this.#notices.current(consent.language);
    if (consent.noticeVersion !== notice.version || consent.noticeSha256 !== notice.sha256) {
      throw new NexisError(
        'CONFLICT',
        'The consent notice shown is not the current one. Show the applicant the current notice again.',
      );
    }
  }

  /** Signs and stores the receipt and one event per purpose. Call inside the registration's transaction. */
  record(args: { applicantId: string; officerId: string; consent: ConsentInput; organisation: Organisation }): string {
    const receiptId = `CR-${randomBytes(8).toString('hex').toUpperCase()}`;
    const at = this.#clock.now().toISOString();
    const receipt = buildReceipt({ ...args, receiptId, deviceId: this.#deviceKey.deviceId, at });
    const text = withAuditChainErrors(() => canonicalJson(receipt as unknown as JsonValue));
    this.#store.db
      .insert(consentReceipts)
      .values({
        id: receiptId,
        applicantId: args.applicantId,
        createdAt: at,
        language: args.consent.language,
        receipt: text,
        signature: this.#deviceKey.sign(text),
        publicKey: this.#deviceKey.publicKey,
        retentionMonths: args.consent.retentionMonths,
      })
      .run();
    for (const purpose of CONSENT_PURPOSES) {
      this.#store.db
        .insert(consentEvents)
        .values({
          receiptId,
          applicantId: args.applicantId,
          purpose,
          event: args.consent.grants[purpose] ? 'granted' : 'declined',
          at,
          officerId: args.officerId,
        })
        .run();
    }
    const granted = CONSENT_PURPOSES.filter((p) => args.consent.grants[p]);
    this.#store.audit.append({
      actor: args.officerId,
      action: 'consent.captured',
      subject: args.applicantId,
      payload: {
        receiptId,
        granted,
        noticeVersion: args.consent.noticeVersion,
        noticeSha256: args.consent.noticeSha256,
        language: args.consent.language,
        retentionMonths: args.consent.retentionMonths,
      },
    });
    return receiptId;
  }

  purposes(applicantId: string): PurposeState[] {
    const events = this.#store.read(() =>
      this.#store.db
        .select()
        .from(consentEvents)
        .where(eq(consentEvents.applicantId, applicantId))
        .orderBy(desc(consentEvents.seq))
        .all(),
    );
    return CONSENT_PURPOSES.flatMap((purpose) => {
      const latest = events.find((e) => e.purpose === purpose);
      const granted = events.some((e) => e.purpose === purpose && e.event === 'granted');
      return latest ? [{ purpose, granted, active: latest.event === 'granted', changedAt: latest.at }] : [];
    });
  }

  isActive(applicantId: string, purpose: ConsentPurpose): boolean {
    return this.purposes(applicantId).some((p) => p.purpose === purpose && p.active);
  }

  requireActive(applicantId: string, purpose: ConsentPurpose): void {
    if (!this.isActive(applicantId, purpose)) {
      throw new NexisError(
        'CONSENT_REQUIRED',
        `The applicant has not given (or has withdrawn) consent to "${purpose}".`,
      );
    }
  }

  withdraw(officerId: string, applicantId: string, purpose: ConsentPurpose): PurposeState[] {
    return this.#store.transaction(() => {
      if (!this.isActive(applicantId, purpose)) {
        throw new NexisError('CONFLICT', `There is no active consent to "${purpose}" to withdraw.`);
      }
      const latestReceipt = this.#store.db
        .select({ id: consentReceipts.id })
        .from(consentReceipts)
        .where(eq(consentReceipts.applicantId, applicantId))
        .orderBy(desc(consentReceipts.createdAt))
        .limit(1)
        .get();
      if (!latestReceipt) {
        throw new NexisError('NOT_FOUND', 'No consent receipt for this applicant.');
      }
      const at = this.#clock.now().toISOString();
      this.#store.db
        .insert(consentEvents)
        .values({ receiptId: latestReceipt.id, applicantId, purpose, event: 'withdrawn', at, officerId })
        .run();
      this.#store.audit.append({
        actor: officerId,
        action: 'consent.withdrawn',
        subject: applicantId,
        payload: { purpose, receiptId: latestReceipt.id },
      });
      return this.purposes(applicantId);
    });
  }

  receiptsOf(applicantId: string): { receiptId: string; createdAt: string; language: 'en' | 'sw' }[] {
    return this.#store.read(() =>
      this.#store.db
        .select({
          receiptId: consentReceipts.id,
          createdAt: consentReceipts.createdAt,
          language: consentReceipts.language,
        })
        .from(consentReceipts)
        .where(eq(consentReceipts.applicantId, applicantId))
        .orderBy(asc(consentReceipts.createdAt))
        .all(),
    );
  }

  receipt(receiptId: string): SignedReceipt {
    const row = this.#store.read(() =>
      this.#store.db.select().from(consentReceipts).where(eq(consentReceipts.id, receiptId)).get(),
    );
    if (!row) {
      throw new NexisError('NOT_FOUND', 'No such consent receipt.');
    }
    const events = this.#store.read(() =>
      this.#store.db
        .select()
        .from(consentEvents)
        .where(and(eq(consentEvents.receiptId, receiptId)))
        .orderBy(asc(consentEvents.seq))
        .all(),
    );
    const parsed = ConsentReceipt.safeParse(JSON.parse(row.receipt));
    if (!parsed.success) {
      throw new NexisError('DB_CORRUPT', 'A stored consent receipt does not have the receipt format.');
    }
    return {
      receipt: parsed.data,
      signature: row.signature,
      publicKey: row.publicKey,
      signatureValid: verifySignature(publicKeyFromBase64(row.publicKey), row.receipt, row.signature),
      events: events.map((e) => ({ purpose: e.purpose, event: e.event, at: e.at, officerId: e.officerId })),
    };
  }
}
