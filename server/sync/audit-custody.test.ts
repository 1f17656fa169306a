/**
 * The rewrite-and-re-sign attack on a workstation's audit chain, tried as an attacker holding the database key
 * would: delete the failed sign-ins, rebuild the chain, re-sign every checkpoint. The device key is no longer in the
 * database, so the re-signed chain does not verify against the device key from outside it, and a rewrite of what the
 * central server countersigned is caught with the server key given from outside (`verify-audit --server-key`).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chainHash, checkpointMessage, deviceIdFor, GENESIS_HASH } from '../../audit-chain';
import { openDatabase as openWorkstationDb } from '../../electron/core/db/open';
import { verifyAuditCommand } from '../../electron/core/cli/verify-audit';
import { DEVICE_KEY_FILE } from '../../electron/core/crypto/device-key-custody';
import { DEVICE_PUBLIC_KEY } from '../../electron/core/system/device-identity';
import { ADMIN, createTempWorkstation, type TempWorkstation } from '../../electron/core/testing/temp-workstation';
import { openDatabase, type Database } from '../db/database';
import { secretsFromKeyring } from '../security/secrets';
import { enrolmentCode, startTestServer, type TestServer } from '../testing/test-server';

interface Row {
  seq: number;
  ts: string;
  actor: string;
  action: string;
  subject: string | null;
  payload: string;
}

/** What an attacker with the database key does: drop failed sign-ins, renumber, rehash, re-sign with `signWith`. */
function rewriteWithoutFailedSignIns(t: TempWorkstation, signWith: 'attacker-key' | 'no-checkpoints'): number {
  const { sqlite } = openWorkstationDb({ file: join(t.dir, 'nexis.db'), key: t.key, create: false });
  try {
    sqlite.exec(
      'DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; DROP TRIGGER audit_checkpoints_no_update; DROP TRIGGER audit_checkpoints_no_delete;',
    );
    const rows = sqlite
      .prepare<[], Row>('SELECT seq, ts, actor, action, subject, payload FROM audit_log ORDER BY seq')
      .all();
    const kept = rows.filter((r) => r.action !== 'auth.sign_in_failed');
    // The attacker signs with the device's own key if the database holds it (as releases before key custody did),
    // otherwise with a key of their own.
    const inDatabase = sqlite
      .prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'device.ed25519.pkcs8'")
      .get()?.value;
    const attacker =
      inDatabase === undefined
        ? generateKeyPairSync('ed25519')
        : (() => {
            const privateKey = createPrivateKey({
              key: Buffer.from(inDatabase, 'base64'),
              format: 'der',
              type: 'pkcs8',
            });
            return { privateKey, publicKey: createPublicKey(privateKey) };
          })();
    const attackerPublic = attacker.publicKey.export({ format: 'der', type: 'spki' });
    const attackerId = deviceIdFor(attackerPublic);
    sqlite.transaction(() => {
      sqlite.exec('DELETE FROM audit_log; DELETE FROM audit_checkpoints;');
      let prev = GENESIS_HASH;
      kept.forEach((row, i) => {
        const record = { ...row, seq: i + 1, prevHash: prev };
        const hash = chainHash(prev, record);
        sqlite
          .prepare(
            'INSERT INTO audit_log (seq, ts, actor, action, subject, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
          )
          .run(record.seq, row.ts, row.actor, row.action, row.subject, row.payload, prev, hash);
        if (signWith === 'attacker-key' && record.seq % 5 === 0) {
          const signature = sign(
            null,
            Buffer.from(checkpointMessage(attackerId, record.seq, hash)),
            attacker.privateKey,
          );
          sqlite
            .prepare(
              'INSERT INTO audit_checkpoints (seq, head_hash, device_id, public_key, signature, signed_at) VALUES (?, ?, ?, ?, ?, ?)',
            )
            .run(record.seq, hash, attackerId, attackerPublic.toString('base64'), signature.toString('base64'), row.ts);
        }
        prev = hash;
      });
      if (signWith === 'attacker-key') {
        sqlite
          .prepare('UPDATE meta SET value = ? WHERE key = ?')
          .run(attackerPublic.toString('base64'), DEVICE_PUBLIC_KEY);
      }
    })();
    return rows.length - kept.length;
  } finally {
    sqlite.close();
  }
}

async function verifyAudit(t: TempWorkstation, extra: { deviceKeyFile?: string; serverKeyFiles?: string[] } = {}) {
  const lines: string[] = [];
  const code = await verifyAuditCommand({ dataDir: t.dir, ...extra, write: (line) => lines.push(line) });
  return { code, output: lines.join('\n') };
}

/** A day's history: sign-ins with `failed` wrong guesses among them. */
async function signIns(t: TempWorkstation, failed: number): Promise<void> {
  for (let i = 0; i < 12; i += 1) {
    if (i % 4 === 1 && i / 4 < failed) {
      await t.call('intruder', 'auth:signIn', { username: ADMIN.username, password: `guess number ${i}` });
    }
    await t.call(`desk-${i}`, 'auth:signIn', { username: ADMIN.username, password: ADMIN.password });
  }
}

describe('audit key custody: the device key is not in the database it signs', () => {
  let database: Database;
  let server: TestServer;
  let serverKeyFile: string;
  let keyDir: string;
  const workstations: TempWorkstation[] = [];

  /** A workstation whose database key is in its key file (as the CLI reads it), with some history. */
  async function workstation(checkpointEvery = 5): Promise<TempWorkstation> {
    const t = createTempWorkstation({ checkpointEvery });
    workstations.push(t);
    writeFileSync(join(t.dir, 'db.key'), `${t.key.toString('hex')}\n`, { mode: 0o600 });
    await t.call('admin', 'auth:setup', ADMIN);
    await signIns(t, 3);
    return t;
  }

  async function enrolAndPush(t: TempWorkstation): Promise<void> {
    const code = await enrolmentCode(server, 'NBO-01');
    const enrolled = await t.call('admin', 'sync:enrol', { serverUrl: server.url, code });
    expect(enrolled.ok).toBe(true);
    await t.ws.sync.syncNow();
  }

  beforeAll(async () => {
    database = await openDatabase({ kind: 'pglite' });
    server = await startTestServer(database);
    keyDir = mkdtempSync(join(tmpdir(), 'nexis-server-key-'));
    serverKeyFile = join(keyDir, 'server-signing.pub');
    writeFileSync(serverKeyFile, secretsFromKeyring(server.keyring).signing.publicKey);
  });
  afterEach(() => {
    for (const t of workstations.splice(0)) {
      t.cleanup();
    }
  });
  afterAll(async () => {
    await server.close();
    await database.close();
    rmSync(keyDir, { recursive: true, force: true });
  });

  it('keeps the private key in a 0600 file beside the database, and only the public half inside it', async () => {
    const t = await workstation();
    const keyFile = join(t.dir, DEVICE_KEY_FILE);
    const privateKey = readFileSync(keyFile, 'utf8').trim();
    const { sqlite } = openWorkstationDb({ file: join(t.dir, 'nexis.db'), key: t.key, create: false, readonly: true });
    try {
      const values = sqlite.prepare<[], { key: string; value: string }>('SELECT key, value FROM meta').all();
      expect(values.some((v) => v.value.includes(privateKey))).toBe(false);
      expect(values.find((v) => v.key === DEVICE_PUBLIC_KEY)?.value).toBe(t.ws.deviceKey.publicKey);
    } finally {
      sqlite.close();
    }
    expect(readdirSync(t.dir)).toContain(DEVICE_KEY_FILE);
    if (process.platform !== 'win32') {
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    }
  });

  it('verifies an untouched chain and its central countersignature at the head', async () => {
    const t = await workstation(500);
    await enrolAndPush(t);
    const head = t.ws.store.audit.head().seq;
    const result = await verifyAudit(t, { serverKeyFiles: [serverKeyFile] });
    expect(result.output).toContain('audit chain OK');
    // With a checkpoint only every 500 entries the push still sealed the head, so nothing rests on the device alone.
    expect(result.output).toContain(`central countersignature OK at entry ${head}`);
    expect(result.code).toBe(0);
  });

  it('reports the rewrite re-signed with another key (the database key alone no longer suffices)', async () => {
    const t = await workstation();
    t.ws.close();
    expect(rewriteWithoutFailedSignIns(t, 'attacker-key')).toBe(3);
    const result = await verifyAudit(t);
    expect(result.code).toBe(1);
    expect(result.output).toContain('the database records a different device key');
    expect(result.output).toMatch(
      /BROKEN at sequence \d+: checkpoint at entry \d+ was not signed by this device's key/,
    );
  });

  it('refuses to open a database whose recorded device key is not the one in custody', async () => {
    const t = await workstation();
    t.ws.close();
    rewriteWithoutFailedSignIns(t, 'attacker-key');
    expect(() => t.reopen()).toThrow(/does not belong to this database/);
  });

  it('reports a rewrite of countersigned history that dropped the checkpoints instead of re-signing them', async () => {
    const t = await workstation();
    await enrolAndPush(t);
    t.ws.close();
    rewriteWithoutFailedSignIns(t, 'no-checkpoints');
    const result = await verifyAudit(t, { serverKeyFiles: [serverKeyFile] });
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/differs from what the central server countersigned/);
  });

  it('reports a removed countersignature record on an enrolled workstation', async () => {
    const t = await workstation();
    await enrolAndPush(t);
    t.ws.close();
    const { sqlite } = openWorkstationDb({ file: join(t.dir, 'nexis.db'), key: t.key, create: false });
    sqlite.prepare("DELETE FROM meta WHERE key = 'sync.push.countersigned'").run();
    sqlite.close();
    const result = await verifyAudit(t, { serverKeyFiles: [serverKeyFile] });
    expect(result.code).toBe(1);
    expect(result.output).toContain('NO central countersignature recorded');
  });

  it('refuses a countersignature checked against a key that is not the server’s', async () => {
    const t = await workstation();
    await enrolAndPush(t);
    const foreign = join(t.dir, 'foreign.pub');
    writeFileSync(
      foreign,
      generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
    );
    const result = await verifyAudit(t, { serverKeyFiles: [foreign] });
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/does NOT verify with the given server key/);
  });
});
