/** SHA-256 helpers; the only place models/ reaches for node:crypto hashing. */
import { createHash } from 'node:crypto';

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
