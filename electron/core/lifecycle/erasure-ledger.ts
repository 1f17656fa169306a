/**
 * The erasure ledger: one line per erasure, in a file beside the database (`erasures.ledger`), never inside it. A
 * restored backup is an older database file, taken before later erasures; the ledger is not part of it, so when the
 * workstation opens it erases again every applicant the ledger names that the database still holds, before anything
 * else reads the database. Each erasure is written to the ledger (and fsynced) before the database commits it: a
 * crash in between leaves an erasure to finish, never one to forget.
 *
 * The ledger holds pseudonymous applicant ids, times and reason codes only. Each line carries an HMAC-SHA-256 chained
 * to the previous line, under a key derived from the database key, so an edited, reordered or removed line is
 * reported. Residual risk (docs/data-lifecycle.md): whoever can delete the whole file (or its tail) and restore an
 * old backup brings those applicants back locally until the centre's feed, which repeats every branch erasure,
 * is pulled again.
 */
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, statSync, truncateSync, writeSync } from 'node:fs';
import { z } from 'zod';
import { APPLICANT_ID_PATTERN } from '../../../shared/domain/applicant-id';
import { NexisError } from '../errors';

export const LEDGER_FILE = 'erasures.ledger';

const Line = z.strictObject({
  applicantId: z.string().regex(APPLICANT_ID_PATTERN),
  erasedAt: z.iso.datetime(),
  reason: z.string().regex(/^[a-z-]{1,40}$/),
  mac: z.string().regex(/^[0-9a-f]{64}$/),
});

export type LedgerEntry = Omit<z.infer<typeof Line>, 'mac'>;

const GENESIS = '0'.repeat(64);

export function ledgerKey(databaseKey: Uint8Array): Buffer {
  return Buffer.from(hkdfSync('sha256', databaseKey, 'nexis', 'erasure-ledger v1', 32));
}

function macOf(key: Buffer, previous: string, entry: LedgerEntry): string {
  return createHmac('sha256', key)
    .update(`${previous}\n${entry.applicantId}\n${entry.erasedAt}\n${entry.reason}`)
    .digest('hex');
}

export class ErasureLedger {
  readonly #file: string;
  readonly #key: Buffer;
  #head: string | undefined;
  /** Bytes of whole lines read by entries(): a torn tail beyond them is cut before the next append. */
  #complete = 0;

  constructor(file: string, databaseKey: Uint8Array) {
    this.#file = file;
    this.#key = ledgerKey(databaseKey);
  }

  get file(): string {
    return this.#file;
  }

  /** Every entry, each line's MAC checked against the chain; a damaged ledger is an error, never half-read. */
  entries(): LedgerEntry[] {
    if (!existsSync(this.#file)) {
      this.#head = GENESIS;
      this.#complete = 0;
      return [];
    }
    const text = readFileSync(this.#file, 'utf8');
    // A crash mid-append can leave one unterminated last line: it was never acknowledged, so it is dropped.
    const end = text.lastIndexOf('\n') + 1;
    const complete = text.slice(0, end).split('\n').slice(0, -1);
    let previous = GENESIS;
    const out: LedgerEntry[] = [];
    complete.forEach((raw, index) => {
      let parsed: z.infer<typeof Line>;
      try {
        parsed = Line.parse(JSON.parse(raw));
      } catch {
        throw tampered(index + 1);
      }
      const { mac, ...entry } = parsed;
      const expected = macOf(this.#key, previous, entry);
      if (!timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(mac, 'hex'))) {
        throw tampered(index + 1);
      }
      previous = mac;
      out.push(entry);
    });
    this.#head = previous;
    this.#complete = Buffer.byteLength(text.slice(0, end), 'utf8');
    return out;
  }

  /** Appends one erasure and fsyncs it before returning. */
  record(entry: LedgerEntry): void {
    if (this.#head === undefined) {
      this.entries();
    }
    const previous = this.#head ?? GENESIS;
    const mac = macOf(this.#key, previous, { ...entry });
    const line = `${JSON.stringify({ ...Line.omit({ mac: true }).parse(entry), mac })}\n`;
    if (existsSync(this.#file) && statSync(this.#file).size > this.#complete) {
      truncateSync(this.#file, this.#complete);
    }
    const fd = openSync(this.#file, 'a', 0o600);
    try {
      writeSync(fd, line);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    this.#head = mac;
    this.#complete += Buffer.byteLength(line, 'utf8');
  }
}

function tampered(line: number): NexisError {
  return new NexisError(
    'DB_CORRUPT',
    `The erasure ledger was changed outside the app (line ${line} fails its check). Restore it from the device ` +
      'backup or ask the bank: erased applicants must not come back.',
  );
}
