/**
 * Rotating the server's keys (`rotate-keys`): tokens and countersignatures carry their key id, so what was made
 * before a rotation still verifies; a device learns the new signing key only through an endorsement by a key it
 * already trusts, so a server with a key of unknown origin cannot countersign its chain.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { countersignatureMessage } from '../../shared/sync/messages';
import { publicKeyFromBase64, verifySignature } from '../../audit-chain';
import { openDatabase, type Database } from '../db/database';
import { SimDevice } from '../testing/sim-device';
import { enrolmentCode, startTestServer, type TestServer } from '../testing/test-server';
import { generateKeyring, rotateKeyring } from './keyring';

describe('server key rotation', () => {
  const open: { database?: Database; server?: TestServer } = {};
  afterEach(async () => {
    await open.server?.close();
    await open.database?.close();
  });

  it('keeps earlier countersignatures and tokens valid, and devices follow the endorsed new key', async () => {
    const database = await openDatabase({ kind: 'pglite' });
    open.database = database;
    const first = generateKeyring();
    let server = await startTestServer(database, { keyring: first });
    open.server = server;
    const device = new SimDevice({ checkpointEvery: 5 });
    await device.client(server.url).enrol(server.url, await enrolmentCode(server, 'NBO-01'));
    device.append(5);
    await device.client(server.url).syncOnce();
    const before = device.state.countersigned;
    expect(before?.keyId).toBe(first.signing[0]?.id);
    const tokenBefore = device.state.token(new Date(), 0) ?? '';

    await server.close();
    const rotated = rotateKeyring(first);
    server = await startTestServer(database, { keyring: rotated, port: server.port });
    open.server = server;
    // A token issued under the old token key is still accepted.
    expect(
      (await fetch(`${server.url}/v1/sync/pull`, { headers: { authorization: `Bearer ${tokenBefore}` } })).status,
    ).toBe(200);
    device.append(5);
    await device.client(server.url).syncOnce();
    const after = device.state.countersigned;
    expect(after?.seq).toBe(10);
    expect(after?.keyId).toBe(rotated.signing[1]?.id);
    // The earlier countersignature still verifies with the key that made it.
    const oldKey = device.state.serverKey(before?.keyId ?? '') ?? '';
    expect(
      verifySignature(
        publicKeyFromBase64(oldKey),
        countersignatureMessage(device.deviceId, before?.seq ?? 0, before?.headHash ?? ''),
        before?.serverSignature ?? '',
      ),
    ).toBe(true);
  });

  it('refuses countersignatures by a key no trusted key endorsed', async () => {
    const database = await openDatabase({ kind: 'pglite' });
    open.database = database;
    let server = await startTestServer(database, { keyring: generateKeyring() });
    open.server = server;
    const device = new SimDevice({ checkpointEvery: 5 });
    await device.client(server.url).enrol(server.url, await enrolmentCode(server, 'NBO-01'));
    device.append(5);
    await device.client(server.url).syncOnce();
    await server.close();
    // Someone starts the server with keys of their own over the same database.
    server = await startTestServer(database, { keyring: generateKeyring(), port: server.port });
    open.server = server;
    device.append(5);
    await expect(device.client(server.url).syncOnce()).rejects.toMatchObject({ code: 'COUNTERSIGNATURE_INVALID' });
  });
});
