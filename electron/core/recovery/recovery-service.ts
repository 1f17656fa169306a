/**
 * Scheduled recovery bundles (issue 13): once a day, and on an administrator's demand, a bundle is written into a
 * staging folder inside the data folder and copied to the removable-drive folder the administrator chose
 * (offsite.ts), then the staging copy is deleted: the laptop's own disk keeps none, the drive keeps the newest 7.
 *
 * The folder path is kept in the meta table, never in the audit trail (a path such as C:\Users\<name>\… can name a
 * person); the trail records that it was set or cleared. A failed run (the drive unplugged) is audited with its code,
 * shown in `status()` and retried by the schedule; the schedule never throws.
 */
import { accessSync, constants, existsSync, realpathSync, rmSync, statSync } from 'node:fs';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import { z } from 'zod';
import type { RecoveryStatus, WrittenBundle } from '../../../shared/ipc/recovery';
import type { Clock } from '../clock';
import type { DeviceKeyCustody } from '../crypto/device-key-custody';
import { isNexisError, NexisError } from '../errors';
import type { Logger } from '../log';
import type { Store } from '../store';
import { deleteMeta, getMeta, setMeta } from '../system/meta-store';
import { RecoveryError } from './errors';
import { writeToFolder } from './offsite';
import { writeRecoveryBundle } from './recovery-bundle';

export const RECOVERY_STAGING_DIR = 'recovery';
const FOLDER_KEY = 'recovery.folder';
const LAST_SUCCESS_KEY = 'recovery.last_success';
const LAST_FAILURE_KEY = 'recovery.last_failure';

const HOUR_MS = 60 * 60 * 1000;
/** A bundle a day. */
export const RECOVERY_PERIOD_MS = 24 * HOUR_MS;
/** After a failure (drive not plugged in) the schedule tries again this much later, not every check. */
export const RECOVERY_RETRY_MS = 6 * HOUR_MS;
/** How often the schedule looks whether a bundle is due: a laptop that sleeps at night still gets its daily bundle. */
export const RECOVERY_CHECK_MS = HOUR_MS;
/** The first look after opening waits a little, so start-up work (sync, model load) goes first. */
export const RECOVERY_FIRST_CHECK_MS = 2 * 60 * 1000;

const SuccessRecord = z.strictObject({ at: z.iso.datetime(), bytes: z.number().int().nonnegative() });
const FailureRecord = z.strictObject({ at: z.iso.datetime(), code: z.string().regex(/^[A-Z][A-Z_]{1,39}$/) });

export type RecoveryTrigger = 'manual' | 'schedule';

export interface RecoveryServiceOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly log: Logger;
  readonly dataDir: string;
  /** The database key (a copy: the caller may wipe its own after start-up). */
  readonly dbKey: Uint8Array;
  readonly custody: DeviceKeyCustody;
  readonly deviceId: string;
  /** The bank's recovery recipients from the baked trust; none (development) turns recovery bundles off. */
  readonly recipients: readonly string[] | undefined;
}

function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** What is recorded of a failure: a code, never a message (an OS error quotes the path). */
export function failureCode(error: unknown): string {
  if (error instanceof RecoveryError) {
    return error.reason;
  }
  if (isNexisError(error)) {
    // writeToFolder's "the folder is not there": the drive is unplugged.
    return error.code === 'NOT_FOUND' ? 'FOLDER_MISSING' : error.code;
  }
  return 'IO_ERROR';
}

export class RecoveryService {
  readonly #o: RecoveryServiceOptions;
  readonly #dbKey: Buffer;
  readonly #recipients: readonly string[];
  #running: Promise<WrittenBundle> | null = null;
  #timers: { first: NodeJS.Timeout; check: NodeJS.Timeout } | null = null;

  constructor(options: RecoveryServiceOptions) {
    this.#o = options;
    this.#dbKey = Buffer.from(options.dbKey);
    this.#recipients = options.recipients ?? [];
  }

  get enabled(): boolean {
    return this.#recipients.length > 0;
  }

  folder(): string | null {
    return this.#read(FOLDER_KEY) ?? null;
  }

  status(): RecoveryStatus {
    const folder = this.folder();
    return {
      enabled: this.enabled,
      folder,
      lastSuccess: this.#lastSuccess(),
      lastFailure: this.#lastFailure(),
      // Due already (never written, or a day has passed): the next look of the schedule writes it.
      nextDue:
        this.enabled && folder !== null
          ? new Date(Math.max(this.#nextDueMs(), this.#o.clock.now().getTime())).toISOString()
          : null,
      running: this.#running !== null,
    };
  }

  /** Checked now as the copy will check it: an existing folder, writable, outside the data folder. */
  setFolder(actorId: string, folder: string): RecoveryStatus {
    if (!isAbsolute(folder)) {
      throw new NexisError('INVALID_INPUT', 'Give the full path of the folder, such as /media/usb/nexis or E:\\nexis.');
    }
    const path = resolve(folder);
    if (!existsSync(path) || !statSync(path).isDirectory()) {
      throw new NexisError(
        'NOT_FOUND',
        'There is no folder at that path: plug in the drive (or mount the share), create the folder and try again.',
      );
    }
    if (isInside(realpathSync(path), realpathSync(this.#o.dataDir))) {
      throw new RecoveryError(
        'FOLDER_INSIDE_DATA_DIR',
        'The folder is inside the workstation data folder; pick a removable drive or another disk.',
      );
    }
    try {
      accessSync(path, constants.W_OK);
    } catch {
      throw new NexisError('IO_ERROR', 'The workstation cannot write to that folder; choose one it may write to.');
    }
    const hadFolder = this.folder() !== null;
    this.#o.store.transaction(() => {
      setMeta(this.#o.store.db, FOLDER_KEY, path);
      // A flag, not the path: a path can contain a user name.
      this.#o.store.audit.append({ actor: actorId, action: 'recovery.folder_set', payload: { replaced: hadFolder } });
    });
    return this.status();
  }

  clearFolder(actorId: string): RecoveryStatus {
    if (this.folder() !== null) {
      this.#o.store.transaction(() => {
        deleteMeta(this.#o.store.db, FOLDER_KEY);
        this.#o.store.audit.append({ actor: actorId, action: 'recovery.folder_cleared' });
      });
    }
    return this.status();
  }

  /**
   * Writes a bundle and copies it to the folder. Refuses (not audited: nothing was tried) when the build has no
   * recovery key, no folder is set or a run is already under way; any other failure is audited and recorded, then
   * thrown to the caller.
   */
  runNow(actorId: string, trigger: RecoveryTrigger = 'manual'): Promise<WrittenBundle> {
    if (!this.enabled) {
      throw new RecoveryError(
        'RECOVERY_DISABLED',
        'This build has no bank recovery key, so it writes no recovery backups.',
      );
    }
    const folder = this.folder();
    if (folder === null) {
      throw new RecoveryError('FOLDER_NOT_SET', 'Choose the recovery backup folder first.');
    }
    if (this.#running !== null) {
      throw new NexisError('CONFLICT', 'A recovery backup is being written already; wait for it to finish.');
    }
    const run = this.#write(actorId, folder, trigger).finally(() => {
      this.#running = null;
    });
    this.#running = run;
    return run;
  }

  /** Starts the schedule: a first look shortly after opening, then every hour; a run happens only when due. */
  start(): void {
    if (this.#timers !== null) {
      return;
    }
    const first = setTimeout(() => this.#tick(), RECOVERY_FIRST_CHECK_MS);
    const check = setInterval(() => this.#tick(), RECOVERY_CHECK_MS);
    first.unref();
    check.unref();
    this.#timers = { first, check };
  }

  stop(): void {
    if (this.#timers !== null) {
      clearTimeout(this.#timers.first);
      clearInterval(this.#timers.check);
      this.#timers = null;
    }
    this.#dbKey.fill(0);
  }

  /** The scheduled path: runs when due, and swallows every failure (runNow has recorded it already). */
  async tick(): Promise<WrittenBundle | null> {
    if (!this.enabled || this.folder() === null || this.#running !== null) {
      return null;
    }
    if (this.#o.clock.now().getTime() < this.#nextDueMs()) {
      return null;
    }
    try {
      return await this.runNow('system', 'schedule');
    } catch (error) {
      this.#o.log.warn('recovery.scheduled_run_failed', { code: failureCode(error) });
      return null;
    }
  }

  #tick(): void {
    // A closed database makes tick's own reads throw; the schedule must not crash the app over it.
    this.tick().catch((error: unknown) => {
      this.#o.log.error('recovery.schedule_failed', { error: error instanceof Error ? error.name : 'unknown' });
    });
  }

  #nextDueMs(): number {
    const success = this.#lastSuccess();
    const failure = this.#lastFailure();
    const afterSuccess = success === null ? 0 : Date.parse(success.at) + RECOVERY_PERIOD_MS;
    const afterFailure =
      failure !== null && (success === null || failure.at > success.at)
        ? Date.parse(failure.at) + RECOVERY_RETRY_MS
        : 0;
    return Math.max(afterSuccess, afterFailure);
  }

  async #write(actorId: string, folder: string, trigger: RecoveryTrigger): Promise<WrittenBundle> {
    const now = this.#o.clock.now();
    const staging = join(this.#o.dataDir, RECOVERY_STAGING_DIR);
    let stagedFile: string | null = null;
    try {
      const deviceSecret = this.#o.custody.load();
      if (deviceSecret === null) {
        throw new NexisError('DB_KEY_INVALID', 'The device signing key is missing from its custody.');
      }
      const written = await writeRecoveryBundle({
        sqlite: this.#o.store.sqlite,
        dataDir: this.#o.dataDir,
        dbKey: this.#dbKey,
        deviceSecret,
        recipients: this.#recipients,
        outDir: staging,
        now,
        deviceId: this.#o.deviceId,
      });
      stagedFile = written.file;
      let copy: ReturnType<typeof writeToFolder>;
      try {
        copy = writeToFolder(written.file, folder, { dataDir: this.#o.dataDir });
      } catch (error) {
        if (isNexisError(error)) {
          throw error;
        }
        // An OS error (ENOSPC, EACCES, EIO) names the path in its message; only its errno code goes on.
        const errno = error instanceof Error && 'code' in error ? String(error.code) : 'unknown';
        throw new NexisError('IO_ERROR', `The recovery backup could not be copied to the folder (${errno}).`, {
          cause: error,
        });
      }
      const record = { at: now.toISOString(), bytes: written.bytes };
      this.#o.store.transaction(() => {
        setMeta(this.#o.store.db, LAST_SUCCESS_KEY, JSON.stringify(record));
        this.#o.store.audit.append({
          actor: actorId,
          action: 'recovery.bundle_written',
          payload: {
            trigger,
            bytes: written.bytes,
            sha256: copy.sha256,
            auditHeadSeq: written.header.auditHead.seq,
            pruned: copy.pruned.length,
          },
        });
      });
      this.#o.log.info('recovery.bundle_written', { trigger, bytes: written.bytes, pruned: copy.pruned.length });
      return { fileName: basename(copy.file), bytes: written.bytes, sha256: copy.sha256, createdAt: record.at };
    } catch (error) {
      const code = failureCode(error);
      try {
        this.#o.store.transaction(() => {
          setMeta(this.#o.store.db, LAST_FAILURE_KEY, JSON.stringify({ at: now.toISOString(), code }));
          this.#o.store.audit.append({ actor: actorId, action: 'recovery.bundle_failed', payload: { trigger, code } });
        });
      } catch (recordError) {
        this.#o.log.error('recovery.failure_not_recorded', {
          error: recordError instanceof Error ? recordError.name : 'unknown',
        });
      }
      this.#o.log.warn('recovery.bundle_failed', { trigger, code });
      throw error;
    } finally {
      // The laptop keeps no bundle of its own: a stolen disk would hold its keys' (encrypted) copy for nothing.
      if (stagedFile !== null) {
        rmSync(stagedFile, { force: true });
      }
    }
  }

  #read(key: string): string | undefined {
    return this.#o.store.read(() => getMeta(this.#o.store.db, key));
  }

  #lastSuccess(): z.infer<typeof SuccessRecord> | null {
    return parseRecord(this.#read(LAST_SUCCESS_KEY), SuccessRecord);
  }

  #lastFailure(): z.infer<typeof FailureRecord> | null {
    return parseRecord(this.#read(LAST_FAILURE_KEY), FailureRecord);
  }
}

function parseRecord<T>(raw: string | undefined, schema: z.ZodType<T>): T | null {
  if (raw === undefined) {
    return null;
  }
  try {
    const parsed = schema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
