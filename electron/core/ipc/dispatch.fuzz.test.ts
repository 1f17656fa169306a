import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, contract } from '../../../shared/ipc/contract';
import { createTempWorkstation, ADMIN, type TempWorkstation } from '../testing/temp-workstation';

let temp: TempWorkstation;

beforeAll(async () => {
  temp = createTempWorkstation();
  const setup = await temp.ws.dispatch('admin', 'auth:setup', ADMIN);
  expect(setup.ok).toBe(true);
});
afterAll(() => temp.cleanup());

/** A digest of every row of every table: "the database is unchanged" made checkable. */
function databaseDigest(): string {
  const { sqlite } = temp.ws.store;
  const tables = sqlite.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as {
    name: string;
  }[];
  const hash = createHash('sha256');
  for (const { name } of tables) {
    hash.update(name).update(JSON.stringify(sqlite.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).all()));
  }
  return hash.digest('hex');
}

const hostile = fc.oneof(
  fc.anything(),
  fc.string({ minLength: 100_000, maxLength: 200_000 }),
  fc.constant(JSON.parse('{"__proto__": {"polluted": true}}') as unknown),
  fc.constant(JSON.parse('{"constructor": {"prototype": {"polluted": true}}}') as unknown),
  fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString'), fc.anything()),
  fc.array(fc.anything()),
);

describe('every IPC channel under malformed input', () => {
  it.each(CHANNELS)('%s answers a typed INVALID_INPUT error and changes nothing', async (channel) => {
    const schema = contract[channel].input;
    const before = databaseDigest();
    await fc.assert(
      fc.asyncProperty(
        hostile.filter((input) => !schema.safeParse(input).success),
        async (input) => {
          const result = await temp.ws.dispatch('admin', channel, input);
          expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.any(String) } });
        },
      ),
      { numRuns: 60 },
    );
    expect(databaseDigest()).toBe(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rejects unknown keys beside valid ones (strict schemas)', async () => {
    const result = await temp.ws.dispatch('admin', 'system:updateSettings', { idleTimeoutMinutes: 5, isAdmin: true });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringMatching(/isAdmin|Unrecognized/) },
    });
  });

  it('never echoes the submitted values in the error message', async () => {
    const secret = 'hunter2-secret-value-which-must-not-leak';
    const result = await temp.ws.dispatch('admin', 'auth:signIn', {
      username: 'Not Valid!',
      password: secret,
      extra: secret,
    });
    expect(JSON.stringify(result)).not.toContain(secret);
  });

  it('answers channels outside the contract with UNKNOWN_CHANNEL', async () => {
    for (const channel of ['system:exec', '__proto__', 'constructor', 42, null]) {
      expect(await temp.ws.dispatch('admin', channel, {})).toMatchObject({
        ok: false,
        error: { code: 'UNKNOWN_CHANNEL' },
      });
    }
  });
});
