/**
 * Structured JSON-lines logging for the core. Fields must be pseudonymous ids, codes and counts; `redact` is the
 * safety net for keys that would carry personal data or secrets.
 */
export type LogFields = Record<string, string | number | boolean | null>;

export interface Logger {
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

const SENSITIVE = /pass|secret|key|token|name|email|phone|address|national|birth/i;

export function redact(fields: LogFields): LogFields {
  const out: LogFields = {};
  for (const [key, value] of Object.entries(fields)) {
    out[key] = SENSITIVE.test(key) ? '[redacted]' : value;
  }
  return out;
}

export function createJsonLogger(write: (line: string) => void = (line) => process.stderr.write(line)): Logger {
  const emit = (level: string, event: string, fields: LogFields = {}): void => {
    write(`${JSON.stringify({ t: new Date().toISOString(), level, event, ...redact(fields) })}\n`);
  };
  return {
    info: (event, fields) => emit('info', event, fields),
    warn: (event, fields) => emit('warn', event, fields),
    error: (event, fields) => emit('error', event, fields),
  };
}

export const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
