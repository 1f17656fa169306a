/**
 * Byte-flip sweep (issue 13): one flipped byte in a copy of a real encrypted workstation database, opened and checked
 * the way the workstation does (open.ts, then the audit verification with its page check, then every table read).
 * Shared by electron/core/db/byte-flip.test.ts and bench/tamper.bench.ts.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyAuditChain, type VerifyOptions } from '../audit/verify';
import { openDatabase, toStorageError, type SqliteConnection } from '../db/open';
import { NexisError } from '../errors';
import { consentFor, intakeReady, PERSON } from './intake-fixtures';
import { createTempWorkstation, makeTempDir } from './temp-workstation';

/** What a page of the file holds: page 1 (salt, header, schema), a b-tree or overflow page of a table or index, or free. */
export type PageUse = 'header' | 'btree' | 'overflow' | 'free';

export interface FlipFixture {
  readonly dir: string;
  readonly key: Buffer;
  readonly device: VerifyOptions;
  readonly bytes: Buffer;
  readonly pageSize: number;
  /** pages[i] is page i + 1. */
  readonly pages: readonly PageUse[];
  /** Digest of every row of every table, as read before any damage. */
  readonly baseline: string;
  cleanup(): void;
}

export type FlipOutcome =
  /** Refused with a typed DB_CORRUPT or DB_KEY_INVALID, or reported as page damage by the verification. */
  | { readonly kind: 'reported'; readonly how: string }
  /** Everything opened, verified and read, and every row is what it was: the byte was in no page that is read. */
  | { readonly kind: 'unchanged' }
  /** The damage was read as data, or failed with an untyped error: both are bugs. */
  | { readonly kind: 'silent' | 'untyped'; readonly how: string };

/**
 * A workstation with officers, applicants (consent receipts, encrypted personal data) and audit entries, closed so
 * the main file holds everything. A scratch table is filled and dropped last, leaving free pages as any large
 * deletion would.
 */
export async function createFlipFixture(applicants = 12): Promise<FlipFixture> {
  const t = createTempWorkstation();
  await intakeReady(t);
  for (let i = 0; i < applicants; i += 1) {
    const registered = await t.call('officer', 'applicants:register', {
      personal: { ...PERSON, nationalId: String(28_000_000 + i) },
      consent: consentFor(t.ws),
    });
    if (!registered.ok) {
      throw new Error(registered.error.message);
    }
    await t.call('officer', 'audit:verify', {});
  }
  const { store } = t.ws;
  // Entries too large for one page, so their rows continue on overflow pages.
  store.transaction(() => {
    for (let i = 0; i < 3; i += 1) {
      store.audit.append({
        actor: 'system',
        action: 'bench.large',
        payload: { codes: Array.from({ length: 1_500 }, (_, j) => `R${j}`) },
      });
    }
  });
  store.sqlite.exec('CREATE TABLE scratch (x TEXT)');
  const fill = store.sqlite.prepare('INSERT INTO scratch VALUES (?)');
  for (let i = 0; i < 40; i += 1) {
    fill.run('x'.repeat(1_000));
  }
  store.sqlite.exec('DROP TABLE scratch');
  const device = { deviceId: t.ws.deviceKey.deviceId, publicKey: t.ws.deviceKey.publicKey };
  t.ws.close();
  const file = join(t.dir, 'nexis.db');
  if (existsSync(`${file}-wal`)) {
    throw new Error('closing the workstation must leave no write-ahead log');
  }
  const bytes = readFileSync(file);
  const { sqlite } = openDatabase({ file, key: t.key, create: false, readonly: true });
  try {
    const pageSize = (sqlite.pragma('page_size', { simple: true }) as number) || 4096;
    const pages: PageUse[] = Array.from({ length: bytes.length / pageSize }, () => 'free');
    pages[0] = 'header';
    for (const row of sqlite
      .prepare<[], { pageno: number; pagetype: string }>('SELECT pageno, pagetype FROM dbstat')
      .all()) {
      if (row.pageno > 1) {
        pages[row.pageno - 1] = row.pagetype === 'overflow' ? 'overflow' : 'btree';
      }
    }
    return {
      dir: t.dir,
      key: t.key,
      device,
      bytes,
      pageSize,
      pages,
      baseline: digestEveryTable(sqlite),
      cleanup: () => rmSync(t.dir, { recursive: true, force: true }),
    };
  } finally {
    sqlite.close();
  }
}

/** Reads every row of every table; any page it touches is checked against its HMAC on the way. */
function digestEveryTable(sqlite: SqliteConnection): string {
  const hash = createHash('sha256');
  const tables = sqlite
    .prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
    .all();
  for (const { name } of tables) {
    hash.update(`\u0000${name}\u0000`);
    for (const row of sqlite
      .prepare(`SELECT * FROM "${name.replaceAll('"', '""')}"`)
      .raw()
      .iterate()) {
      hash.update(
        JSON.stringify(row, (_key, value: unknown) => (Buffer.isBuffer(value) ? value.toString('hex') : value)),
      );
    }
  }
  return hash.digest('hex');
}

/** Copies the fixture with `mask` XORed into the byte at `offset`, then opens, verifies and reads it. */
export async function flipAndCheck(
  fixture: FlipFixture,
  workDir: string,
  offset: number,
  mask: number,
): Promise<FlipOutcome> {
  const file = join(workDir, 'nexis.db');
  for (const leftover of [`${file}-wal`, `${file}-shm`]) {
    rmSync(leftover, { force: true });
  }
  const damaged = Buffer.from(fixture.bytes);
  damaged[offset] = (damaged[offset] ?? 0) ^ mask;
  writeFileSync(file, damaged);
  let sqlite: SqliteConnection;
  try {
    sqlite = openDatabase({ file, key: fixture.key, create: false }).sqlite;
  } catch (error) {
    return typed(error, 'open');
  }
  try {
    const verdict = await verifyAuditChain(sqlite, fixture.device);
    if (!verdict.ok) {
      return verdict.reason.startsWith('database file damaged')
        ? { kind: 'reported', how: 'verify: page damage' }
        : { kind: 'silent', how: `verify read changed entries: ${verdict.reason}` };
    }
    let digest: string;
    try {
      digest = digestEveryTable(sqlite);
    } catch (error) {
      return typed(toStorageError(error), 'read');
    }
    return digest === fixture.baseline ? { kind: 'unchanged' } : { kind: 'silent', how: 'rows read differ' };
  } finally {
    sqlite.close();
  }
}

function typed(error: unknown, stage: string): FlipOutcome {
  if (error instanceof NexisError && (error.code === 'DB_CORRUPT' || error.code === 'DB_KEY_INVALID')) {
    return { kind: 'reported', how: `${stage}: ${error.code}` };
  }
  return { kind: 'untyped', how: `${stage}: ${error instanceof Error ? error.message : String(error)}` };
}

/**
 * `count` offsets spread over every page, a quarter of them in the per-page reserve SQLCipher keeps at the end (IV
 * and HMAC), with non-zero masks: deterministic for a given seed, so a failure reproduces.
 */
export function sweepOffsets(fixture: FlipFixture, count: number, seed: number): { offset: number; mask: number }[] {
  let state = seed >>> 0 || 1;
  const next = (): number => {
    // xorshift32: enough to scatter offsets, and repeatable.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  const { pageSize } = fixture;
  const reserve = 80;
  return Array.from({ length: count }, (_, i) => {
    const page = i % fixture.pages.length;
    const within = i % 4 === 3 ? pageSize - reserve + Math.floor(next() * reserve) : Math.floor(next() * pageSize);
    return { offset: page * pageSize + within, mask: 1 + Math.floor(next() * 255) };
  });
}

export interface SweepReport {
  readonly byPage: Record<PageUse, { flips: number; reported: number; unchanged: number }>;
  readonly failures: readonly string[];
}

/** Runs the sweep; a failure is a flip in a used page not reported, or any flip read as different data. */
export async function runFlipSweep(fixture: FlipFixture, count: number, seed: number): Promise<SweepReport> {
  const workDir = makeTempDir('nexis-flip-');
  const empty = () => ({ flips: 0, reported: 0, unchanged: 0 });
  const byPage: SweepReport['byPage'] = { header: empty(), btree: empty(), overflow: empty(), free: empty() };
  const failures: string[] = [];
  try {
    for (const { offset, mask } of sweepOffsets(fixture, count, seed)) {
      const use = fixture.pages[Math.floor(offset / fixture.pageSize)] ?? 'free';
      const outcome = await flipAndCheck(fixture, workDir, offset, mask);
      const tally = byPage[use];
      tally.flips += 1;
      if (outcome.kind === 'reported') {
        tally.reported += 1;
      } else if (outcome.kind === 'unchanged' && use === 'free') {
        tally.unchanged += 1;
      } else {
        const how = outcome.kind === 'unchanged' ? 'read without complaint' : `${outcome.kind}: ${outcome.how}`;
        failures.push(
          `offset ${offset} (page ${Math.floor(offset / fixture.pageSize) + 1}, ${use}) ^0x${mask.toString(16)}: ${how}`,
        );
      }
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  return { byPage, failures };
}
