import { createHash } from 'node:crypto';
import { canonicalEnvelope, type AuditEnvelope } from './canonical';

export const GENESIS_HASH = '0'.repeat(64);

/** hash = SHA-256(prev_hash bytes ‖ UTF-8 canonical entry), lower-case hex. */
export function chainHash(prevHashHex: string, entry: AuditEnvelope): string {
  return createHash('sha256')
    .update(Buffer.from(prevHashHex, 'hex'))
    .update(canonicalEnvelope(entry), 'utf8')
    .digest('hex');
}
