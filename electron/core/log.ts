/**
 * Structured JSON-lines logging for the core. Fields must be pseudonymous ids, codes and counts; `redact` is the
 * safety net for what slips through: keys that would carry personal data or secrets, and values that look like
 * personal data whatever their key (emails, phone numbers, national ids, free text). The workstation writes every
 * line to stderr and to a rotating file in its data folder (electron/core/diagnostics/rotating-file.ts).
 */
export type LogFields = Record<string, string | number | boolean | null>;

export interface Logger {
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

const SENSITIVE = /pass|secret|key|token|name|email|phone|address|national|birth|note|text|comment|message/i;
/** Keys named like these hold codes despite matching SENSITIVE (`errorName` is a class name such as `TypeError`). */
const CODE_KEYS: ReadonlySet<string> = new Set(['errorName', 'publicKeyId']);

const EMAIL = /[^\s@]+@[^\s@]+\.[^\s@]+/;
/** Seven or more digits, optionally led by + and broken by spaces, dots, dashes or brackets: a phone number. */
const PHONE = /^\+?[\d\s().-]{7,24}$/;
/** National ids and passport numbers: a few letters at most, then six or more digits. */
const NATIONAL_ID = /^[A-Za-z]{0,3}[\s-]?\d{6,14}[A-Za-z]?$/;
/** Free text: anything with whitespace in it. Log values are ids, codes and counts, never sentences. */
const FREE_TEXT = /\s/;

export const REDACTED = '[redacted]';

function looksPersonal(value: string): boolean {
  const digits = value.replace(/\D/g, '').length;
  return EMAIL.test(value) || (PHONE.test(value) && digits >= 7) || NATIONAL_ID.test(value) || FREE_TEXT.test(value);
}

export function redactValue(key: string, value: string | number | boolean | null): string | number | boolean | null {
  if (SENSITIVE.test(key) && !CODE_KEYS.has(key)) {
    return REDACTED;
  }
  if (typeof value === 'string' && looksPersonal(value)) {
    return REDACTED;
  }
  return value;
}

export function redact(fields: LogFields): LogFields {
  const out: LogFields = {};
  for (const [key, value] of Object.entries(fields)) {
    out[key] = redactValue(key, value);
  }
  return out;
}

/** Event names are code literals; one that is not (a sentence, an id) is replaced rather than written. */
function safeEvent(event: string): string {
  return /^[a-z][a-z0-9_.-]{0,80}$/i.test(event) ? event : 'log.unnamed_event';
}

export function createJsonLogger(
  write: (line: string) => void = (line) => process.stderr.write(line),
  now: () => Date = () => new Date(),
): Logger {
  const emit = (level: string, event: string, fields: LogFields = {}): void => {
    write(`${JSON.stringify({ ...redact(fields), t: now().toISOString(), level, event: safeEvent(event) })}\n`);
  };
  return {
    info: (event, fields) => emit('info', event, fields),
    warn: (event, fields) => emit('warn', event, fields),
    error: (event, fields) => emit('error', event, fields),
  };
}

/** One logger writing to several (stderr and the log file). */
export function teeLogger(...loggers: readonly Logger[]): Logger {
  return {
    info: (event, fields) => loggers.forEach((l) => l.info(event, fields)),
    warn: (event, fields) => loggers.forEach((l) => l.warn(event, fields)),
    error: (event, fields) => loggers.forEach((l) => l.error(event, fields)),
  };
}

/** Calls `onError` after every `error` line (the error counters of electron/core/diagnostics). */
export function countingLogger(inner: Logger, onError: () => void): Logger {
  return {
    info: (event, fields) => inner.info(event, fields),
    warn: (event, fields) => inner.warn(event, fields),
    error: (event, fields) => {
      inner.error(event, fields);
      onError();
    },
  };
}

export const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
