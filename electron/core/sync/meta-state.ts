/** Sync state in the workstation's meta table (keys `sync.*`), through meta-store.ts: no migration needed. */
import { NexisError } from '../errors';
import type { Store } from '../store';
import { getMeta, setMeta } from '../system/meta-store';
import type { SyncStateStore } from './types';

export function metaSyncStateStore(store: Store): SyncStateStore {
  const checkKey = (key: string): void => {
    if (!key.startsWith('sync.')) {
      throw new NexisError('INTERNAL', 'The sync client writes only sync.* meta keys.');
    }
  };
  return {
    get: (key) => {
      checkKey(key);
      return store.read(() => getMeta(store.db, key));
    },
    set: (key, value) => {
      checkKey(key);
      store.transaction(() => setMeta(store.db, key, value));
    },
  };
}
