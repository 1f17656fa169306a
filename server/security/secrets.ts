/**
 * The server's own secrets, created on first start and kept in server_state: the Ed25519 key that countersigns
 * device checkpoints and the HMAC key for access tokens. Insert-if-absent then read, so concurrent starts agree.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { ServerDb } from '../db/database';
import { serverState } from '../db/schema';

export interface ServerSecrets {
  /** SPKI DER base64: what devices use to verify countersignatures. */
  readonly publicKey: string;
  signCountersignature(message: string): string;
  readonly tokenKey: Buffer;
}

async function getOrCreate(db: ServerDb, key: string, create: () => string): Promise<string> {
  await db.insert(serverState).values({ key, value: create() }).onConflictDoNothing();
  const row = await db.select({ value: serverState.value }).from(serverState).where(eq(serverState.key, key));
  const value = row[0]?.value;
  if (value === undefined) {
    throw new Error(`server_state ${key} missing after insert`);
  }
  return value;
}

export async function loadServerSecrets(db: ServerDb): Promise<ServerSecrets> {
  const pkcs8 = await getOrCreate(db, 'countersign.ed25519.pkcs8', () =>
    generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
  );
  const tokenKey = await getOrCreate(db, 'token.hmac-sha256.key', () => randomBytes(32).toString('base64'));
  const privateKey: KeyObject = createPrivateKey({ key: Buffer.from(pkcs8, 'base64'), format: 'der', type: 'pkcs8' });
  return {
    publicKey: createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).toString('base64'),
    signCountersignature: (message) => sign(null, Buffer.from(message, 'utf8'), privateKey).toString('base64'),
    tokenKey: Buffer.from(tokenKey, 'base64'),
  };
}
