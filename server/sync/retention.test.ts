/**
 * The centre's retention rule on what branches pushed: terms from consent entries, the anchor from decisions (or
 * registration), holds and open referrals keep, and the central personal data of the rest goes, audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../db/database';
import { rowsOf } from '../db/rows';
import { auditEntries, serverAudit } from '../db/schema';
import { verifyServerAudit } from '../audit/server-audit';
import { secretsFromKeyring } from '../security/secrets';
import { TEST_DATABASES, targetTitle } from '../testing/databases';
import { SimDevice } from '../testing/sim-device';
import { enrolmentCode, startTestServer, type TestServer } from '../testing/test-server';
import { runCentralRetention } from './retention';

const IDS = {
  undecided: 'NEX-RTAAA-00001-A',
  decided: 'NEX-RTAAA-00002-B',
  referred: 'NEX-RTAAA-00003-C',
  held: 'NEX-RTAAA-00004-D',
  released: 'NEX-RTAAA-00005-E',
  longTerm: 'NEX-RTAAA-00006-F',
  noTerm: 'NEX-RTAAA-00007-G',
  pending: 'NEX-RTAAA-00008-H',
  approved: 'NEX-RTAAA-00009-J',
} as const;

for (const target of TEST_DATABASES) {
  describe.skipIf(target.skip !== undefined)(`central retention on ${targetTitle(target)}`, () => {
    let database: Database;
    let server: TestServer;

    beforeAll(async () => {
      database = await target.open();
      server = await startTestServer(database);
    });
    afterAll(async () => {
      await server.close();
      await database.close();
    });

    it('shreds the central copy once the term ran out; holds, open referrals and unknown terms keep it', async () => {
      const device = new SimDevice({
        attachmentFor: (entry) =>
          entry.action === 'applicant.registered'
            ? { kind: 'applicant.record', body: { fullName: `Marker ${entry.subject ?? ''}` } }
            : null,
      });
      await device.client(server.url).enrol(server.url, await enrolmentCode(server, 'NBO-01'));
      const register = (id: string, months: string | null) => {
        if (months !== null) {
          device.append(1, 'consent.captured', id, { retentionMonths: months, receiptId: 'CR-0000000000000001' });
        }
        device.append(1, 'applicant.registered', id);
      };
      // The simulated device's clock starts on 2026-11-25 and moves a second per entry.
      register(IDS.undecided, '12');
      register(IDS.decided, '12');
      register(IDS.referred, '12');
      register(IDS.held, '12');
      register(IDS.released, '12');
      register(IDS.longTerm, '60');
      register(IDS.noTerm, null);
      register(IDS.pending, '12');
      register(IDS.approved, '12');
      // An override waiting for a second supervisor keeps the case open; once approved, the term runs from then.
      device.append(1, 'decision.recorded', IDS.pending, { decision: 'approve', fourEyes: 'pending' });
      device.append(1, 'decision.recorded', IDS.approved, { decision: 'approve', fourEyes: 'pending' });
      device.append(1, 'decision.override_approved', IDS.approved, { decision: 'approve', fourEyes: 'approved' });
      device.append(1, 'decision.recorded', IDS.decided, { decision: 'approve' });
      device.append(1, 'decision.recorded', IDS.referred, { decision: 'refer' });
      device.append(1, 'applicant.legal_hold_set', IDS.held, { holdId: 'LH-0000000000000001', reason: 'litigation' });
      device.append(1, 'applicant.legal_hold_set', IDS.released, {
        holdId: 'LH-0000000000000002',
        reason: 'complaint',
      });
      device.append(1, 'applicant.legal_hold_released', IDS.released, { holdId: 'LH-0000000000000002' });
      await device.client(server.url).syncOnce();

      const signer = secretsFromKeyring(server.keyring).signing;
      const ours = Object.values(IDS) as string[];
      const mine = <T extends { applicantId: string }>(list: readonly T[]) =>
        list.filter((k) => ours.includes(k.applicantId));

      const early = await runCentralRetention(database.db, signer, new Date('2027-11-24T00:00:00.000Z'));
      expect(early.ran).toBe(true);
      expect(early.erased.filter((id) => ours.includes(id))).toEqual([]);

      const due = await runCentralRetention(database.db, signer, new Date('2027-12-01T00:00:00.000Z'));
      expect([...due.erased].filter((id) => ours.includes(id)).sort()).toEqual(
        [IDS.undecided, IDS.decided, IDS.released, IDS.approved].sort(),
      );
      expect(mine(due.kept)).toEqual(
        expect.arrayContaining([
          { applicantId: IDS.referred, because: 'open-case' },
          { applicantId: IDS.held, because: 'legal-hold' },
          { applicantId: IDS.noTerm, because: 'term-unknown' },
          { applicantId: IDS.pending, because: 'open-case' },
        ]),
      );
      expect(mine(due.kept)).toHaveLength(4);

      const kinds = rowsOf<{ subject: string; kind: string | null; sealed: string | null }>(
        await database.db.execute(
          sql`SELECT subject, attachment_kind AS kind, attachment_sealed AS sealed FROM audit_entries
              WHERE device_id = ${device.deviceId} AND action = 'applicant.registered' ORDER BY seq`,
        ),
      );
      const kindOf = (id: string) => kinds.find((k) => k.subject === id);
      for (const id of [IDS.undecided, IDS.decided, IDS.released]) {
        expect(kindOf(id)).toEqual({ subject: id, kind: 'applicant.record.removed', sealed: null });
      }
      for (const id of [IDS.referred, IDS.held, IDS.longTerm, IDS.noTerm]) {
        expect(kindOf(id)?.kind).toBe('applicant.record');
        expect(kindOf(id)?.sealed).not.toBeNull();
      }
      const keys = rowsOf<{ applicant_id: string }>(
        await database.db.execute(sql`SELECT applicant_id FROM applicant_keys`),
      ).map((k) => k.applicant_id);
      expect(keys).not.toEqual(expect.arrayContaining([IDS.undecided]));
      expect(keys).toEqual(expect.arrayContaining([IDS.held, IDS.referred]));

      // Audited in the server's own chain, once per applicant; the device chain is untouched and a rerun is a no-op.
      const audited = await database.db
        .select({ subject: serverAudit.subject, actor: serverAudit.actor })
        .from(serverAudit)
        .where(eq(serverAudit.action, 'applicant.retention_expired'))
        .orderBy(asc(serverAudit.seq));
      expect(
        audited
          .filter((a) => ours.includes(a.subject ?? ''))
          .map((a) => a.subject)
          .sort(),
      ).toEqual([IDS.undecided, IDS.decided, IDS.released, IDS.approved].sort());
      expect(audited.every((a) => a.actor === 'system')).toBe(true);
      const again = await runCentralRetention(database.db, signer, new Date('2027-12-02T00:00:00.000Z'));
      expect(again.erased.filter((id) => ours.includes(id))).toEqual([]);
      const secrets = secretsFromKeyring(server.keyring);
      expect(await verifyServerAudit(database.db, secrets.signingPublicKey)).toMatchObject({ ok: true });
      const stored = await database.db
        .select({ n: sql<number>`count(*)::int` })
        .from(auditEntries)
        .where(inArray(auditEntries.subject, ours));
      expect(stored[0]?.n).toBe(device.entries.length);
    });
  });
}
