import { eq } from 'drizzle-orm';
import { meta } from '../db/schema';
import type { NexisDb } from '../db/open';

/** Typed access to the meta key/value table. Writers call `set` inside their own transaction. */
export function getMeta(db: NexisDb, key: string): string | undefined {
  return db.select({ value: meta.value }).from(meta).where(eq(meta.key, key)).get()?.value;
}

export function setMeta(db: NexisDb, key: string, value: string): void {
  db.insert(meta).values({ key, value }).onConflictDoUpdate({ target: meta.key, set: { value } }).run();
}

export function deleteMeta(db: NexisDb, key: string): void {
  db.delete(meta).where(eq(meta.key, key)).run();
}
