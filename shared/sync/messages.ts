/**
 * The exact texts that are signed in the sync protocol, as RFC 8785 canonical JSON. Both ends build them here, so a
 * signature made by one verifies at the other.
 */
import canonicalize from 'canonicalize';

function jcs(value: Record<string, string | number>): string {
  const text = canonicalize(value);
  if (text === undefined) {
    throw new TypeError('value cannot be canonicalised');
  }
  return text;
}

/** Signed by the device key at enrolment: proves the workstation holds the private key it enrols. */
export function enrolmentMessage(code: string, deviceId: string, publicKey: string): string {
  return jcs({ type: 'nexis.sync.enrol', v: 1, code, deviceId, publicKey });
}

/** Signed by the device key to obtain a fresh access token (refresh by proof of possession). */
export function tokenRequestMessage(deviceId: string, nonce: string): string {
  return jcs({ type: 'nexis.sync.token', v: 1, deviceId, nonce });
}

/**
 * Signed by the previous server signing key over its successor at a rotation: a device that trusts the old key can
 * trust the new one, and no one without the old private key can introduce a key.
 */
export function serverKeyMessage(keyId: string, publicKey: string): string {
  return jcs({ type: 'nexis.sync.server_key', v: 1, keyId, publicKey });
}

/** Signed by the server key over a checkpoint it has matched against the device's pushed chain. */
export function countersignatureMessage(deviceId: string, seq: number, headHash: string): string {
  return jcs({ type: 'nexis.audit.countersignature', v: 1, deviceId, seq, headHash });
}
