import { canonicalJson } from './canonical';

/** The signer id the central API puts in its checkpoint messages, where a workstation puts its device id. */
export const CENTRAL_SIGNER_ID = 'CENTRAL';

/** The exact text a checkpoint signs (docs/audit-format.md, "Checkpoint message"). */
export function checkpointMessage(deviceId: string, seq: number, headHash: string): string {
  return canonicalJson({ deviceId, headHash, seq, type: 'nexis.audit.checkpoint', v: 1 });
}
