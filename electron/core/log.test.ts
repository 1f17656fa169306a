import { describe, expect, it } from 'vitest';
import { countingLogger, createJsonLogger, redact, REDACTED, teeLogger } from './log';

describe('redact', () => {
  it('masks keys that name personal data or secrets, whatever the value', () => {
    expect(redact({ fullName: 'x', password: 'x', apiToken: 'x', nationalId: 'x', note: 'x', message: 'x' })).toEqual({
      fullName: REDACTED,
      password: REDACTED,
      apiToken: REDACTED,
      nationalId: REDACTED,
      note: REDACTED,
      message: REDACTED,
    });
  });

  it('masks values that look like emails, phone numbers, national ids or free text under any key', () => {
    const masked = redact({
      a: 'wanjiru@example.com',
      b: 'to:wanjiru@example.com',
      c: '+254 712 345 678',
      d: '0712345678',
      e: '(020) 123-4567',
      f: '28765432',
      g: 'A1234567',
      h: 'Loan for Wanjiru declined',
    });
    expect(Object.values(masked).every((v) => v === REDACTED)).toBe(true);
  });

  it('keeps codes, ids, hashes, versions, times and counts', () => {
    const fields = {
      channel: 'applicants:get',
      code: 'IO_ERROR',
      errorName: 'TypeError',
      deviceId: 'DEV-0123456789ABCDEF',
      applicantId: 'NEX-7K3P-Q9X2-c',
      modelHash: '0123456789012345678901234567890123456789012345678901234567890123'.replace(/^0/, 'a'),
      version: '1.2.3',
      at: '2026-01-05T08:00:00.000Z',
      bytes: 5_242_880,
      ok: true,
      none: null,
    };
    expect(redact(fields)).toEqual(fields);
  });
});

describe('the JSON logger', () => {
  it('writes one redacted JSON line per call, and the level, time and event cannot be overwritten by fields', () => {
    const lines: string[] = [];
    const log = createJsonLogger(
      (line) => lines.push(line),
      () => new Date('2026-01-05T08:00:00.000Z'),
    );
    log.error('ipc.failed', { level: 'info', event: 'forged', phone: '+254 712 345 678', code: 'INTERNAL' });
    log.info('Sent to Wanjiru Kamau');
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([
      { t: '2026-01-05T08:00:00.000Z', level: 'error', event: 'ipc.failed', phone: REDACTED, code: 'INTERNAL' },
      { t: '2026-01-05T08:00:00.000Z', level: 'info', event: 'log.unnamed_event' },
    ]);
    expect(lines.every((l) => l.endsWith('}\n') && !l.slice(0, -1).includes('\n'))).toBe(true);
  });

  it('tees to several loggers and counts only errors', () => {
    const a: string[] = [];
    const b: string[] = [];
    let errors = 0;
    const log = countingLogger(
      teeLogger(
        createJsonLogger((l) => a.push(l)),
        createJsonLogger((l) => b.push(l)),
      ),
      () => (errors += 1),
    );
    log.info('x.y');
    log.warn('x.y');
    log.error('x.y');
    expect([a.length, b.length, errors]).toEqual([3, 3, 1]);
  });
});
