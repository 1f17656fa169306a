/**
 * Error counters and the last crash, kept in `<dataDir>/diagnostics.json` so a crash does not lose them: the file is
 * rewritten atomically (temporary file, then rename) on every counted event, synchronously, because the next thing
 * after a main-process crash may be the process exiting. Only codes and counts are stored (shared/sync/diagnostics.ts).
 *
 * Renderer reports are rate-limited here, in the core: a renderer stuck in an error loop could otherwise call
 * `system:reportError` thousands of times a second. The first RENDERER_REPORTS_PER_MINUTE of a minute are logged and
 * written; the rest are only counted in memory and written with the next write (or `flush`).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import {
  CrashDetailSchema,
  DiagnosticsSummary,
  ErrorCountsSchema,
  LastCrashSchema,
  type CrashKind,
  type ErrorCounts,
} from '../../../shared/sync/diagnostics';
import type { Clock } from '../clock';
import type { Logger } from '../log';

export const DIAGNOSTICS_FILE = 'diagnostics.json';
export const RENDERER_REPORTS_PER_MINUTE = 20;

const StoredCounters = z.strictObject({
  version: z.literal(1),
  countingSince: z.string(),
  lastSyncAt: z.string().nullable(),
  total: ErrorCountsSchema,
  sinceSync: ErrorCountsSchema,
  lastCrash: LastCrashSchema.nullable(),
});
type StoredCounters = z.infer<typeof StoredCounters>;

export interface RendererErrorReport {
  /** The screen's route name (`applicants`, `status`, …). */
  readonly screen: string;
  /** The error's class name (`TypeError`). */
  readonly errorName: string;
  /** Where it was caught (a component path); reduced to identifier characters before it is logged. */
  readonly where: string;
}

const zero = (): ErrorCounts => ({
  coreErrors: 0,
  rendererErrors: 0,
  rendererCrashes: 0,
  mainCrashes: 0,
  childCrashes: 0,
});

const COUNTER_OF: Record<CrashKind, keyof ErrorCounts> = {
  'main-uncaught': 'mainCrashes',
  'main-rejection': 'mainCrashes',
  'renderer-gone': 'rendererCrashes',
  'child-gone': 'childCrashes',
  'renderer-error': 'rendererErrors',
};

/** Reduces a name or reason to the identifier characters a crash detail may hold (never a sentence). */
export function toCrashDetail(value: unknown): string {
  const text = typeof value === 'string' ? value : 'unknown';
  const cleaned = text
    .replace(/[^A-Za-z0-9_.:-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return CrashDetailSchema.safeParse(cleaned).success ? cleaned : 'unknown';
}

/**
 * Reduces where a renderer error was caught to code-like tokens (component and file names) joined by `>`. A token
 * that does not start with a letter, holds four or more digits or an `@` is dropped: component names never do, phone
 * numbers, national ids and emails always do. A person's name typed where a component name belongs cannot be told
 * apart (docs/diagnostics.md, residual risks); the renderer sends component names only.
 */
export function toWhere(value: string): string {
  return value
    .split(/[\s>,()[\]{}<]+/)
    .filter((token) => /^[A-Za-z_$][\w$./:-]*$/.test(token))
    .filter((token) => !token.includes('@') && token.replace(/\D/g, '').length < 4)
    .join('>')
    .slice(0, 200);
}

export interface ErrorCountersOptions {
  readonly dataDir: string;
  readonly clock: Clock;
  /** Where renderer reports and counter-file problems are logged; must not count into these counters itself. */
  readonly log: Logger;
}

export class ErrorCounters {
  readonly #file: string;
  readonly #clock: Clock;
  readonly #log: Logger;
  #state: StoredCounters;
  #dirty = false;
  #windowMinute = -1;
  #windowReports = 0;
  #suppressed = 0;

  constructor(options: ErrorCountersOptions) {
    this.#file = join(options.dataDir, DIAGNOSTICS_FILE);
    this.#clock = options.clock;
    this.#log = options.log;
    this.#state = this.#read();
  }

  /** A `log.error` in the core. */
  coreError(): void {
    this.#count('coreErrors');
    this.#write();
  }

  /** A crash or a crash-like event; `detail` is an error name or reason code (anything else becomes `unknown`). */
  crash(kind: CrashKind, detail: unknown): void {
    this.#count(COUNTER_OF[kind]);
    this.#state.lastCrash = { at: this.#clock.now().toISOString(), kind, detail: toCrashDetail(detail) };
    this.#write();
  }

  /** `system:reportError`: counted always; logged and written at most RENDERER_REPORTS_PER_MINUTE times a minute. */
  rendererError(report: RendererErrorReport): { recorded: boolean } {
    const minute = Math.floor(this.#clock.now().getTime() / 60_000);
    if (minute !== this.#windowMinute) {
      if (this.#suppressed > 0) {
        this.#log.warn('renderer.errors_suppressed', { count: this.#suppressed });
      }
      this.#windowMinute = minute;
      this.#windowReports = 0;
      this.#suppressed = 0;
    }
    this.#windowReports += 1;
    if (this.#windowReports > RENDERER_REPORTS_PER_MINUTE) {
      this.#suppressed += 1;
      this.#count('rendererErrors');
      this.#dirty = true;
      return { recorded: false };
    }
    const detail = toCrashDetail(report.errorName);
    this.#log.warn('renderer.error', { screen: report.screen, errorName: detail, where: toWhere(report.where) });
    this.crash('renderer-error', detail);
    return { recorded: true };
  }

  /** A sync run succeeded: the "since sync" counters start again from zero. */
  markSynced(): void {
    this.#state.sinceSync = zero();
    this.#state.lastSyncAt = this.#clock.now().toISOString();
    this.#write();
  }

  summary(): DiagnosticsSummary {
    this.flush();
    return DiagnosticsSummary.parse({
      sinceSync: this.#state.sinceSync,
      total: this.#state.total,
      countingSince: this.#state.countingSince,
      lastSyncAt: this.#state.lastSyncAt,
      lastCrash: this.#state.lastCrash,
    });
  }

  /** Writes counts kept only in memory (rate-limited renderer reports). */
  flush(): void {
    if (this.#dirty) {
      this.#write();
    }
  }

  #count(counter: keyof ErrorCounts): void {
    this.#state.total[counter] += 1;
    this.#state.sinceSync[counter] += 1;
  }

  #fresh(): StoredCounters {
    return {
      version: 1,
      countingSince: this.#clock.now().toISOString(),
      lastSyncAt: null,
      total: zero(),
      sinceSync: zero(),
      lastCrash: null,
    };
  }

  #read(): StoredCounters {
    if (!existsSync(this.#file)) {
      return this.#fresh();
    }
    try {
      const parsed = StoredCounters.safeParse(JSON.parse(readFileSync(this.#file, 'utf8')));
      if (parsed.success) {
        return parsed.data;
      }
    } catch {
      // Unreadable JSON: handled below like a schema mismatch.
    }
    this.#log.warn('diagnostics.counters_reset', { reason: 'unreadable' });
    return this.#fresh();
  }

  #write(): void {
    const temporary = `${this.#file}.tmp`;
    try {
      mkdirSync(dirname(this.#file), { recursive: true });
      writeFileSync(temporary, `${JSON.stringify(this.#state)}\n`, { mode: 0o600 });
      renameSync(temporary, this.#file);
      this.#dirty = false;
    } catch (error) {
      // Never `log.error` here: that would count into these counters and try to write again.
      this.#dirty = true;
      this.#log.warn('diagnostics.write_failed', { code: (error as NodeJS.ErrnoException).code ?? 'unknown' });
    }
  }
}
