import { canonicalJson } from './canonical';

/** The exact text a device signs for a checkpoint (docs/audit-format.md, "Checkpoints"). */
export function checkpointMessage(deviceId: string, seq: number, headHash: string): string {
  return canonicalJson({ deviceId, headHash, seq, type: 'nexis.audit.checkpoint', v: 1 });
}
