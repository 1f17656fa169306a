/** The real outbox: the workstation's audit chain and signed checkpoints, read-only, in sequence order. */
import type { AuditRecord } from '../audit/audit-log';
import { GENESIS_HASH } from '../../../audit-chain';
import type { Store } from '../store';
import type { ChainSource } from './types';

export function auditChainSource(store: Store): ChainSource {
  const sqlite = store.sqlite;
  const after = sqlite.prepare<[number, number], AuditRecord>(
    'SELECT seq, ts, actor, action, subject, payload, prev_hash AS prevHash, hash FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?',
  );
  const at = sqlite.prepare<[number], { hash: string }>('SELECT hash FROM audit_log WHERE seq = ?');
  const checkpoints = sqlite.prepare<[number, number], { seq: number; headHash: string; signature: string }>(
    'SELECT seq, head_hash AS headHash, signature FROM audit_checkpoints WHERE seq > ? AND seq <= ? ORDER BY seq',
  );
  return {
    head: () => store.read(() => store.audit.head()),
    entriesAfter: (seq, limit) => store.read(() => after.all(seq, limit)),
    checkpointsBetween: (from, upTo) => store.read(() => checkpoints.all(from, upTo)),
    sealHead: () => {
      store.transaction(() => store.audit.checkpointHead());
    },
    hashAt: (seq) => (seq === 0 ? GENESIS_HASH : store.read(() => at.get(seq)?.hash)),
  };
}
