/**
 * Intake benchmarks (issue #3): register + consent + behavioural data for one applicant (p50/p99 core time),
 * search latency over 50,000 applicants, import of a 12-month statement with 5,000 transactions.
 * Targets (issue #13): p99 ≤ 10 ms per registration with its behavioural data, search p99 ≤ 20 ms; import ≤ 200 ms. Peer for search: a plain SQL
 * LIKE over an unencrypted name column of the same size, measured in the same run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { registerWithBehaviour } from '../electron/core/applicants/intake';
import { createWorkstation } from '../electron/core/workstation';
import { consentFor, FORM_VALUES, ORGANISATION, PERSON } from '../electron/core/testing/intake-fixtures';
import { fmt, percentile } from './machine';

const FIRST = [
  'Wanjiru',
  'Achieng',
  'Otieno',
  'Kamau',
  'Njeri',
  'Mwangi',
  'Chebet',
  'Kiprop',
  'Atieno',
  'Mutua',
  'Wambui',
  'Omondi',
];
const LAST = ['Kamau', 'Otieno', 'Njoroge', 'Odhiambo', 'Wafula', 'Kariuki', 'Mutiso', 'Nyambura', 'Korir', 'Ochieng'];

function person(i: number) {
  return {
    ...PERSON,
    fullName: `${FIRST[i % FIRST.length] ?? ''} ${LAST[(i * 7) % LAST.length] ?? ''} ${(i * 7919).toString(36)}`,
    phone: `+2547${String(10_000_000 + ((i * 104_729) % 89_999_999)).padStart(8, '0')}`,
    nationalId: String(20_000_000 + i),
  };
}

function statement(transactions: number): string {
  const lines = ['date,direction,category,amount'];
  const categories = ['business', 'airtime', 'utility', 'rent', 'savings', 'loan_repayment', 'purchase'];
  for (let i = 0; i < transactions; i += 1) {
    const month = (i % 12) + 1;
    const day = (i % 27) + 1;
    const category = categories[i % categories.length] ?? 'other';
    lines.push(
      `2026-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')},${category === 'business' ? 'in' : 'out'},${category},${100 + (i % 900)}`,
    );
  }
  return lines.join('\n');
}

export function runIntakeBench(options: { readonly applicants: number }): void {
  const dir = mkdtempSync(join(tmpdir(), 'nexis-bench-intake-'));
  const ws = createWorkstation({
    dataDir: dir,
    dbKey: randomBytes(32),
    scryptCost: { N: 2 ** 10, r: 8, p: 1 },
    // As the desktop app runs (db/checkpointer.ts); the peer line below is SQLite's own in-commit checkpoint.
    backgroundCheckpoints: true,
  });
  try {
    console.log('\n## Applicant intake');
    ws.settings.updateOrganisation('OFF-BENCH', ORGANISATION);
    const consent = consentFor(ws);
    const times: number[] = [];
    const started = performance.now();
    for (let i = 0; i < options.applicants; i += 1) {
      const t0 = performance.now();
      if (i < 2_000) {
        // The intake as one durable transaction (electron/core/applicants/intake.ts), as `applicants:register` does.
        registerWithBehaviour(ws, 'OFF-BENCH', person(i), consent, FORM_VALUES);
        times.push(performance.now() - t0);
      } else {
        ws.applicants.register('OFF-BENCH', person(i), consent);
      }
    }
    times.sort((a, b) => a - b);
    console.log(
      `register + consent + behavioural data: p50 ${fmt(percentile(times, 50))} ms, p99 ${fmt(percentile(times, 99))} ms (target p99 ≤ 10 ms); ` +
        `${fmt(options.applicants, 0)} registrations in ${fmt((performance.now() - started) / 1000, 1)} s`,
    );

    // Peer: the same intake with SQLite's checkpoints inside the commits (what backgroundCheckpoints replaces).
    const peerDir = mkdtempSync(join(tmpdir(), 'nexis-bench-intake-peer-'));
    const inCommit = createWorkstation({
      dataDir: peerDir,
      dbKey: randomBytes(32),
      scryptCost: { N: 2 ** 10, r: 8, p: 1 },
    });
    try {
      inCommit.settings.updateOrganisation('OFF-BENCH', ORGANISATION);
      const peerConsent = consentFor(inCommit);
      const peerTimes: number[] = [];
      for (let i = 0; i < 2_000; i += 1) {
        const t0 = performance.now();
        registerWithBehaviour(inCommit, 'OFF-BENCH', person(i), peerConsent, FORM_VALUES);
        peerTimes.push(performance.now() - t0);
      }
      peerTimes.sort((a, b) => a - b);
      console.log(
        `peer: the same intake with SQLite's in-commit checkpoints: p50 ${fmt(percentile(peerTimes, 50))} ms, p99 ${fmt(percentile(peerTimes, 99))} ms`,
      );
    } finally {
      inCommit.close();
      rmSync(peerDir, { recursive: true, force: true });
    }

    const queries = ['wanj', 'Achieng Otieno', 'kariuki', '4729', 'mutua wafula', 'zzzz'];
    const searchTimes: number[] = [];
    for (let round = 0; round < 20; round += 1) {
      for (const q of queries) {
        const t0 = performance.now();
        ws.applicants.list(q, 1, 50);
        searchTimes.push(performance.now() - t0);
      }
    }
    searchTimes.sort((a, b) => a - b);
    console.log(
      `search over ${fmt(options.applicants, 0)} applicants (first page of 50, decrypting only that page): p50 ${fmt(percentile(searchTimes, 50))} ms, p99 ${fmt(percentile(searchTimes, 99))} ms (target p99 ≤ 20 ms)`,
    );

    const peer = new Database(':memory:');
    peer.exec('CREATE TABLE people (id TEXT PRIMARY KEY, name TEXT, phone TEXT)');
    const insert = peer.prepare('INSERT INTO people VALUES (?, ?, ?)');
    peer.transaction(() => {
      for (let i = 0; i < options.applicants; i += 1) {
        const p = person(i);
        insert.run(String(i), p.fullName, p.phone);
      }
    })();
    const peerTimes: number[] = [];
    const peerQuery = peer.prepare('SELECT * FROM people WHERE name LIKE ? OR phone LIKE ? LIMIT 50');
    for (let round = 0; round < 20; round += 1) {
      for (const q of queries) {
        const t0 = performance.now();
        peerQuery.all(`%${q}%`, `%${q}%`);
        peerTimes.push(performance.now() - t0);
      }
    }
    peerTimes.sort((a, b) => a - b);
    console.log(
      `peer: plaintext LIKE scan over the same names: p50 ${fmt(percentile(peerTimes, 50))} ms, p99 ${fmt(percentile(peerTimes, 99))} ms`,
    );
    peer.close();

    const applicantId = ws.applicants.list(undefined, 1, 1).items[0]?.applicantId ?? '';
    const csv = statement(5_000);
    const importTimes: number[] = [];
    for (let i = 0; i < 20; i += 1) {
      const t0 = performance.now();
      ws.behaviour.importStatement('OFF-BENCH', applicantId, csv);
      importTimes.push(performance.now() - t0);
    }
    importTimes.sort((a, b) => a - b);
    console.log(
      `import of a 12-month statement with 5,000 transactions: p50 ${fmt(percentile(importTimes, 50))} ms, p99 ${fmt(percentile(importTimes, 99))} ms (target ≤ 200 ms)`,
    );
  } finally {
    ws.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
