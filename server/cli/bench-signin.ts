/**
 * Administrator sign-in benchmark: password (scrypt at OWASP cost) plus TOTP code, over HTTP against the real server
 * on PGlite, p50/p99 of N sign-ins; printed beside the peer that dominates it, one scrypt verification alone, measured
 * in the same run. Never fails on a timing. `-- --count 10` for a quick run.
 */
import { cpus } from 'node:os';
import { eq } from 'drizzle-orm';
import { openDatabase } from '../db/database';
import { admins } from '../db/schema';
import { hashPassword, verifyPassword } from '../security/passwords';
import { TOTP_PERIOD_SECONDS } from '../security/totp';
import { startTestServer } from '../testing/test-server';

const at = process.argv.indexOf('--count');
const COUNT = at === -1 ? 30 : Math.max(3, Number(process.argv[at + 1]) || 30);

const quantile = (sorted: number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;

async function main(): Promise<void> {
  console.log(`admin sign-in benchmark: Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`);
  const database = await openDatabase({ kind: 'pglite' });
  let clock = Date.UTC(2026, 11, 1, 9);
  const server = await startTestServer(database, { now: () => new Date(clock) });
  try {
    const admin = await server.provision('bench.admin', ['auditor']);
    const production = await hashPassword(admin.password);
    await database.db.update(admins).set({ passwordHash: production }).where(eq(admins.adminId, admin.adminId));
    const signIns: number[] = [];
    for (let i = 0; i < COUNT; i += 1) {
      clock += TOTP_PERIOD_SECONDS * 1000;
      const body = JSON.stringify({ username: admin.username, password: admin.password, totp: admin.nextTotp() });
      const started = performance.now();
      const answer = await fetch(`${server.url}/v1/auth/admin/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      await answer.text();
      signIns.push(performance.now() - started);
      if (answer.status !== 200) {
        throw new Error(`sign-in ${i} answered ${answer.status}`);
      }
    }
    const peer: number[] = [];
    for (let i = 0; i < COUNT; i += 1) {
      const started = performance.now();
      await verifyPassword(admin.password, production);
      peer.push(performance.now() - started);
    }
    for (const [name, values] of [
      ['sign-in (HTTP, scrypt N=2^17 + TOTP + session + audit)', signIns],
      ['peer: scrypt N=2^17 verification alone', peer],
    ] as const) {
      const sorted = [...values].sort((a, b) => a - b);
      console.log(
        `${name.padEnd(58)} p50 ${quantile(sorted, 0.5).toFixed(1)} ms  p99 ${quantile(sorted, 0.99).toFixed(1)} ms  (n=${COUNT})`,
      );
    }
  } finally {
    await server.close();
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
