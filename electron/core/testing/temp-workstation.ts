/** Test helpers: a real encrypted workstation in a fresh temp folder. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createManualClock } from '../clock';
import { createWorkstation, type Workstation, type WorkstationOptions } from '../workstation';
import type { Channel, ChannelInput, ChannelOutput } from '../../../shared/ipc/contract';
import type { IpcResult } from '../../../shared/ipc/result';

/** Cheap scrypt for tests: the format and code path are the production ones, only the cost is lower. */
export const TEST_SCRYPT_COST = { N: 2 ** 10, r: 8, p: 1 } as const;

export interface TempWorkstation {
  readonly ws: Workstation;
  readonly dir: string;
  readonly key: Buffer;
  readonly clock: ReturnType<typeof createManualClock>;
  reopen(overrides?: Partial<WorkstationOptions>): Workstation;
  /** `dispatch` with the contract's types: what the renderer would send and receive. */
  call<C extends Channel>(
    connectionId: string,
    channel: C,
    input: ChannelInput<C>,
  ): Promise<IpcResult<ChannelOutput<C>>>;
  cleanup(): void;
}

export function makeTempDir(prefix = 'nexis-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function createTempWorkstation(overrides: Partial<WorkstationOptions> = {}): TempWorkstation {
  const dir = makeTempDir();
  const key = randomBytes(32);
  const clock = createManualClock();
  const options = { dataDir: dir, dbKey: key, clock, scryptCost: TEST_SCRYPT_COST, ...overrides };
  let ws = createWorkstation(options);
  return {
    get ws() {
      return ws;
    },
    dir,
    key,
    clock,
    call(connectionId, channel, input) {
      return ws.dispatch(connectionId, channel, input) as Promise<IpcResult<ChannelOutput<typeof channel>>>;
    },
    reopen(more = {}) {
      ws.close();
      ws = createWorkstation({ ...options, ...more });
      return ws;
    },
    cleanup() {
      ws.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const ADMIN = {
  username: 'amina.admin',
  displayName: 'Amina Odhiambo',
  password: 'correct horse battery',
} as const;
