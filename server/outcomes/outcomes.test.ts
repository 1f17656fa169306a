/**
 * Loan outcomes imported at the centre from a core-banking CSV, against decisions a simulated branch pushed: a good
 * import, an idempotent re-import, history with a later as-of date, every kind of bad row reported at its row with
 * nothing stored, and who may import. Runs on PGlite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../db/database';
import { rowsOf } from '../db/rows';
import { serverAudit } from '../db/schema';
import { verifyServerAudit } from '../audit/server-audit';
import { secretsFromKeyring } from '../security/secrets';
import { TEST_DATABASES, targetTitle } from '../testing/databases';
import { SimDevice } from '../testing/sim-device';
import { enrolmentCode, startTestServer, type TestServer } from '../testing/test-server';
import { MAX_OUTCOME_ROWS, OUTCOME_BODY_LIMIT } from '../../shared/sync/outcomes';

const DC = {
  first: 'DC-00000000000000A1',
  second: 'DC-00000000000000A2',
  declined: 'DC-00000000000000B1',
  pending: 'DC-00000000000000C1',
  corrected: 'DC-00000000000000D1',
  correction: 'DC-00000000000000D2',
  unknown: 'DC-00000000000000FF',
} as const;
const APPLICANT = 'NEX-OUTAA-00001-A';

const day = (offsetDays: number): string => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

async function postCsv(server: TestServer, token: string | null, body: string, type = 'text/csv'): Promise<Answer> {
  const response = await fetch(`${server.url}/v1/admin/outcomes/import`, {
    method: 'POST',
    headers: { 'content-type': type, ...(token === null ? {} : { authorization: `Bearer ${token}` }) },
    body,
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

const HEADER = 'decision_id,status,as_of\n';
const csv = (...lines: string[]): string => lines.reduce((text, line) => `${text}${line}\n`, HEADER);
/** `n` rows with distinct well-formed ids, built without spreading (n is far past the argument limit). */
const manyRows = (n: number): string =>
  HEADER +
  Array.from({ length: n }, (_, i) => `DC-${i.toString(16).toUpperCase().padStart(16, '0')},current,2026-11-30\n`).join(
    '',
  );

for (const target of TEST_DATABASES) {
  describe.skipIf(target.skip !== undefined)(`loan outcomes on ${targetTitle(target)}`, () => {
    let database: Database;
    let server: TestServer;
    let device: SimDevice;

    const stored = async (): Promise<string> =>
      JSON.stringify(
        rowsOf(
          await database.db.execute(sql`SELECT
            (SELECT count(*) FROM loan_outcomes) AS outcomes, (SELECT count(*) FROM outcome_imports) AS imports,
            (SELECT count(*) FROM server_audit) AS audit`),
        ),
      );
    const history = async (decisionId: string) =>
      (await server.admin('GET', `/v1/admin/outcomes?decisionId=${decisionId}`)).body as {
        outcomes: { decisionId: string; status: string; asOf: string; source: string; importId: string }[];
      };

    beforeAll(async () => {
      database = await target.open();
      server = await startTestServer(database);
      device = new SimDevice();
      await device.client(server.url).enrol(server.url, await enrolmentCode(server, 'NBO-01'));
      // The simulated device's clock starts on 2026-11-25: every decision below was made that day.
      device.append(1, 'applicant.registered', APPLICANT);
      device.append(1, 'decision.recorded', APPLICANT, { decisionId: DC.first, decision: 'approve' });
      device.append(1, 'decision.recorded', APPLICANT, { decisionId: DC.second, decision: 'approve' });
      device.append(1, 'decision.recorded', APPLICANT, { decisionId: DC.declined, decision: 'decline' });
      device.append(1, 'decision.recorded', APPLICANT, {
        decisionId: DC.pending,
        decision: 'approve',
        fourEyes: 'pending',
      });
      device.append(1, 'decision.recorded', APPLICANT, { decisionId: DC.corrected, decision: 'approve' });
      device.append(1, 'decision.corrected', APPLICANT, {
        decisionId: DC.correction,
        decision: 'approve',
        supersedes: DC.corrected,
      });
      await device.client(server.url).syncOnce();
    });
    afterAll(async () => {
      await server.close();
      await database.close();
    });

    it('imports a core-banking file (BOM, CRLF, quoted fields) and audits counts and the import id only', async () => {
      const body = `\uFEFFdecision_id,status,as_of\r\n"${DC.first}","current","2026-11-30"\r\n${DC.second},dpd30,2026-11-30\r\n ${DC.correction} , repaid ,2026-11-28\r\n`;
      const answer = await postCsv(server, server.adminToken, body);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ rows: 3, imported: 3, unchanged: 0 });
      const importId = answer.body.importId as string;
      expect(importId).toMatch(/^OIM-[0-9A-F]{16}$/);

      expect((await history(DC.first)).outcomes).toEqual([
        expect.objectContaining({ decisionId: DC.first, status: 'current', asOf: '2026-11-30', importId }),
      ]);
      expect((await history(DC.correction)).outcomes[0]).toMatchObject({
        status: 'repaid',
        source: 'core-banking-csv',
      });

      const audited = await database.db.select().from(serverAudit).where(eq(serverAudit.action, 'outcomes.imported'));
      expect(audited).toHaveLength(1);
      expect(audited[0]).toMatchObject({ actor: server.alice.adminId, subject: importId });
      expect(JSON.parse(audited[0]?.payload ?? '{}')).toEqual({ rows: 3, imported: 3, unchanged: 0 });
      expect(audited[0]?.payload).not.toContain('DC-');
      const secrets = secretsFromKeyring(server.keyring);
      expect(await verifyServerAudit(database.db, secrets.signingPublicKey)).toMatchObject({ ok: true });
    });

    it('changes nothing when the same file comes again', async () => {
      const before = rowsOf<{ n: number }>(
        await database.db.execute(sql`SELECT count(*)::int AS n FROM loan_outcomes`),
      );
      const again = await postCsv(
        server,
        server.adminToken,
        csv(`${DC.first},current,2026-11-30`, `${DC.second},dpd30,2026-11-30`, `${DC.correction},repaid,2026-11-28`),
      );
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ rows: 3, imported: 0, unchanged: 3 });
      const after = rowsOf<{ n: number }>(await database.db.execute(sql`SELECT count(*)::int AS n FROM loan_outcomes`));
      expect(after).toEqual(before);
      expect((await history(DC.first)).outcomes).toHaveLength(1);
    });

    it('keeps the history: a later as-of date adds a row and becomes the current outcome', async () => {
      const later = await postCsv(
        server,
        server.adminToken,
        csv(`${DC.first},current,2026-11-30`, `${DC.first},dpd30,2026-12-01`),
      );
      expect(later.body).toMatchObject({ rows: 2, imported: 1, unchanged: 1 });
      expect((await history(DC.first)).outcomes.map((o) => [o.asOf, o.status])).toEqual([
        ['2026-11-30', 'current'],
        ['2026-12-01', 'dpd30'],
      ]);
      const current = (await server.admin('GET', '/v1/admin/outcomes')).body as {
        outcomes: { decisionId: string; status: string }[];
      };
      expect(current.outcomes.map((o) => [o.decisionId, o.status])).toEqual([
        [DC.first, 'dpd30'],
        [DC.second, 'dpd30'],
        [DC.correction, 'repaid'],
      ]);
      const paged = (await server.admin('GET', `/v1/admin/outcomes?after=${DC.first}&limit=1`)).body as {
        outcomes: { decisionId: string }[];
      };
      expect(paged.outcomes.map((o) => o.decisionId)).toEqual([DC.second]);
    });

    it('reports every bad row at its line and column, with ids only, and stores nothing of the file', async () => {
      const before = await stored();
      const body = csv(
        `${DC.second},current,2026-12-01`, // 2: fine on its own
        `${DC.unknown},current,2026-11-30`, // 3
        `${DC.second},dpd60,2026-02-30`, // 4
        `${DC.second},Jane Doe,2026-11-30`, // 5: a name where the status goes never reaches the answer
        `dc-123,current,2026-11-30`, // 6
        ``, // 7
        `${DC.second},current,2026-12-01`, // 8
        `${DC.second},current,${day(2)}`, // 9
        `${DC.second},current,2026-11-20`, // 10
        `${DC.declined},current,2026-11-30`, // 11
        `${DC.pending},current,2026-11-30`, // 12
        `${DC.corrected},current,2026-11-30`, // 13
        `${DC.first},written_off,2026-11-30`, // 14: stored as current
        `${DC.second},current`, // 15
        `${DC.second},current,2026-11-30,Jane`, // 16
        `"${DC.second},current,2026-11-29`, // 17: an unterminated quote
      );
      const refused = await postCsv(server, server.adminToken, body);
      expect(refused.status).toBe(422);
      expect(refused.body.error).toMatchObject({ code: 'INVALID_INPUT' });
      const errors = refused.body.errors as { row: number; column: string | null; code: string; message: string }[];
      expect(errors.map((e) => [e.row, e.column, e.code])).toEqual([
        [3, 'decision_id', 'unknown-decision'],
        [4, 'as_of', 'invalid-date'],
        [5, 'status', 'unknown-status'],
        [6, 'decision_id', 'invalid-id'],
        [7, null, 'empty-row'],
        [8, null, 'duplicate-row'],
        [9, 'as_of', 'future-date'],
        [10, 'as_of', 'before-decision'],
        [11, 'decision_id', 'not-an-approval'],
        [12, 'decision_id', 'approval-pending'],
        [13, 'decision_id', 'superseded'],
        [14, 'status', 'conflicts-with-stored'],
        [15, null, 'wrong-column-count'],
        [16, null, 'wrong-column-count'],
        [17, null, 'malformed-row'],
      ]);
      expect(refused.body.errorCount).toBe(errors.length);
      expect(errors.find((e) => e.row === 13)?.message).toContain(DC.correction);
      expect(errors.find((e) => e.row === 8)?.message).toContain('row 2');
      expect(JSON.stringify(refused.body)).not.toMatch(/Jane|Doe/);
      expect(await stored()).toBe(before);
      expect((await history(DC.second)).outcomes).toHaveLength(1);
    });

    it('refuses a wrong header, an empty file and one with too many rows as a whole', async () => {
      const codes = async (body: string) => {
        const answer = await postCsv(server, server.adminToken, body);
        expect(answer.status).toBe(422);
        return (answer.body.errors as { row: number; code: string; message: string }[]).map((e) => [e.row, e.code]);
      };
      const before = await stored();
      const extra = await postCsv(
        server,
        server.adminToken,
        `decision_id,status,as_of,customer_name\n${DC.first},current,2026-11-30,Jane Doe\n`,
      );
      expect(extra.status).toBe(422);
      expect(extra.body.errors).toEqual([expect.objectContaining({ row: 1, code: 'bad-header' })]);
      expect(JSON.stringify(extra.body)).toContain('customer_name');
      expect(JSON.stringify(extra.body)).not.toContain('Jane');
      expect(await codes(`${DC.first},current,2026-11-30\n`)).toEqual([[1, 'bad-header']]);
      expect(await codes('status,decision_id,as_of\n')).toEqual([[1, 'bad-header']]);
      expect(await codes('')).toEqual([[1, 'empty-file']]);
      expect(await codes('\uFEFFdecision_id,status,as_of\r\n\r\n')).toEqual([[2, 'empty-file']]);
      expect(await codes(manyRows(MAX_OUTCOME_ROWS + 1))).toEqual([[MAX_OUTCOME_ROWS + 2, 'too-many-rows']]);
      expect(await stored()).toBe(before);
    });

    it('bounds the body and takes only UTF-8 CSV', async () => {
      const big = manyRows(OUTCOME_BODY_LIMIT / 30);
      expect(big.length).toBeGreaterThan(OUTCOME_BODY_LIMIT);
      expect((await postCsv(server, server.adminToken, big)).status).toBe(413);
      const good = csv(`${DC.first},current,2026-11-30`);
      expect((await postCsv(server, server.adminToken, good, 'application/json')).status).toBe(415);
      expect((await postCsv(server, server.adminToken, good, 'text/csv; charset=iso-8859-1')).status).toBe(415);
      expect((await postCsv(server, server.adminToken, good, 'text/csv; charset=utf-8')).status).toBe(200);
    });

    it('lets only the release manager import; every administrator may read; devices and strangers may not', async () => {
      const good = csv(`${DC.second},current,2026-12-01`);
      const auditor = await server.addAdmin('olga', ['auditor']);
      const security = await server.addAdmin('sven', ['security-admin']);
      const before = await stored();
      expect((await postCsv(server, null, good)).status).toBe(401);
      expect((await postCsv(server, device.state.token(new Date(), 0) ?? 'none', good)).status).toBe(401);
      expect((await postCsv(server, auditor.token, good)).status).toBe(403);
      expect((await postCsv(server, security.token, good)).status).toBe(403);
      expect(await stored()).toBe(before);
      expect((await auditor.request('GET', `/v1/admin/outcomes?decisionId=${DC.first}`)).status).toBe(200);
      expect((await auditor.request('GET', '/v1/admin/outcomes?decisionId=DC-1')).status).toBe(400);
      const manager = await server.addAdmin('maria', ['release-manager']);
      expect((await postCsv(server, manager.token, good)).body).toMatchObject({ imported: 1 });
    });
  });
}
