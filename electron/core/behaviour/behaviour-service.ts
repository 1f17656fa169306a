/**
 * Behavioural (alternative) data: form entry and statement import, validated against the one feature specification
 * and stored encrypted with the applicant's data key (so erasure shreds it too). Each save is a new record holding
 * the applicant's complete current values; older records stay for the timeline.
 */
import { randomBytes } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import {
  NEXIS_FEATURE_SPEC,
  checkFeatureValue,
  validateFeatureValues,
  type FeatureSpec,
} from '../../../shared/features';
import type { BehaviouralRecord, StatementPreview } from '../../../shared/ipc/applicants';
import { behaviouralRecords } from '../db/schema';
import { NexisError } from '../errors';
import type { Clock } from '../clock';
import type { Store } from '../store';
import type { ApplicantService } from '../applicants/applicant-service';
import type { ConsentService } from '../consent/consent-service';
import { open, seal } from '../applicants/pii-crypto';
import { parseStatement } from './statement';
import { deriveFeatures } from './derive';
import { thinStatementWarning } from '../../../shared/rules/statement';

type Values = Record<string, number | string | null>;
export const recordAad = (applicantId: string, recordId: string): string =>
  `nexis.behaviour.v1|${applicantId}|${recordId}`;

export class BehaviourService {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #applicants: ApplicantService;
  readonly #consent: ConsentService;
  readonly #spec: FeatureSpec;

  constructor(
    store: Store,
    clock: Clock,
    applicants: ApplicantService,
    consent: ConsentService,
    spec: FeatureSpec = NEXIS_FEATURE_SPEC,
  ) {
    this.#store = store;
    this.#clock = clock;
    this.#applicants = applicants;
    this.#consent = consent;
    this.#spec = spec;
  }

  saveForm(officerId: string, applicantId: string, values: Values): BehaviouralRecord {
    this.#guard(applicantId);
    const issues = validateFeatureValues(this.#spec, values);
    if (issues.length > 0) {
      throw new NexisError(
        'INVALID_INPUT',
        `Invalid input — ${issues.map((i) => `${i.key}: ${i.message}`).join('; ')}`,
      );
    }
    return this.#save(officerId, applicantId, 'form', values, null);
  }

  preview(applicantId: string, csv: string): StatementPreview {
    this.#guard(applicantId);
    const transactions = parseStatement(csv);
    const derivation = deriveFeatures(transactions);
    const values: Values = {};
    const warnings: string[] = [];
    for (const [key, value] of Object.entries(derivation.values)) {
      const feature = this.#spec.features.find((f) => f.key === key);
      if (feature === undefined) {
        continue;
      }
      const issue = checkFeatureValue(feature, value);
      if (issue === undefined) {
        values[key] = value;
      } else {
        warnings.push(`${feature.label.en} left out: ${issue.message}`);
      }
    }
    const thin = thinStatementWarning(derivation.months, transactions.length);
    if (thin !== null) {
      warnings.unshift(thin);
    }
    return {
      values,
      derived: Object.keys(values),
      months: derivation.months,
      transactions: transactions.length,
      rowsRejected: 0,
      firstDate: derivation.firstDate,
      lastDate: derivation.lastDate,
      warnings,
    };
  }

  /** Keeps only the derived features (merged over the current values), never the transactions. */
  importStatement(officerId: string, applicantId: string, csv: string): BehaviouralRecord {
    const preview = this.preview(applicantId, csv);
    const merged = { ...(this.latest(applicantId)?.values ?? {}), ...preview.values };
    return this.#save(officerId, applicantId, 'statement-import', merged, {
      months: preview.months,
      transactions: preview.transactions,
      rowsRejected: preview.rowsRejected,
      derived: preview.derived,
    });
  }

  latest(applicantId: string): BehaviouralRecord | null {
    const row = this.#store.read(() =>
      this.#store.db
        .select()
        .from(behaviouralRecords)
        .where(eq(behaviouralRecords.applicantId, applicantId))
        .orderBy(desc(behaviouralRecords.capturedAt), desc(behaviouralRecords.id))
        .limit(1)
        .get(),
    );
    return row ? this.#view(row) : null;
  }

  /** One record of this applicant (the sync attachment of its audit entry); null when unknown or erased. */
  byId(applicantId: string, recordId: string): BehaviouralRecord | null {
    const row = this.#store.read(() =>
      this.#store.db
        .select()
        .from(behaviouralRecords)
        .where(and(eq(behaviouralRecords.applicantId, applicantId), eq(behaviouralRecords.id, recordId)))
        .get(),
    );
    return row ? this.#view(row) : null;
  }

  #view(row: typeof behaviouralRecords.$inferSelect): BehaviouralRecord | null {
    const applicantId = row.applicantId;
    const key = this.#applicants.dataKey(applicantId);
    if (key === null) {
      return null;
    }
    const values = JSON.parse(open(key, row.values, recordAad(applicantId, row.id)).toString('utf8')) as Values;
    key.fill(0);
    return {
      recordId: row.id,
      capturedAt: row.capturedAt,
      officerId: row.officerId,
      source: row.source,
      specId: row.specId,
      specVersion: row.specVersion,
      values,
      importSummary:
        row.importSummary === null ? null : (JSON.parse(row.importSummary) as BehaviouralRecord['importSummary']),
    };
  }

  #guard(applicantId: string): void {
    this.#applicants.requireActive(applicantId);
    this.#consent.requireActive(applicantId, 'credit-scoring');
  }

  #save(
    officerId: string,
    applicantId: string,
    source: 'form' | 'statement-import',
    values: Values,
    summary: BehaviouralRecord['importSummary'],
  ): BehaviouralRecord {
    const key = this.#applicants.dataKey(applicantId);
    if (key === null) {
      throw new NexisError('CONFLICT', "This applicant's personal data was erased.");
    }
    const recordId = `BR-${randomBytes(8).toString('hex').toUpperCase()}`;
    const capturedAt = this.#clock.now().toISOString();
    const sealed = seal(key, Buffer.from(JSON.stringify(values), 'utf8'), recordAad(applicantId, recordId));
    key.fill(0);
    this.#store.transaction(() => {
      this.#store.db
        .insert(behaviouralRecords)
        .values({
          id: recordId,
          applicantId,
          capturedAt,
          officerId,
          source,
          specId: this.#spec.id,
          specVersion: this.#spec.version,
          values: sealed,
          importSummary: summary === null ? null : JSON.stringify(summary),
        })
        .run();
      this.#store.audit.append({
        actor: officerId,
        action: source === 'form' ? 'behaviour.captured' : 'behaviour.imported',
        subject: applicantId,
        payload: {
          recordId,
          features: Object.keys(values).length,
          ...(summary ? { months: summary.months, transactions: summary.transactions, derived: summary.derived } : {}),
        },
      });
    });
    return {
      recordId,
      capturedAt,
      officerId,
      source,
      specId: this.#spec.id,
      specVersion: this.#spec.version,
      values,
      importSummary: summary,
    };
  }
}
