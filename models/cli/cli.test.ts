/**
 * The signing CLIs have no private key to fall back to: without --key they refuse, saying so; with a key made at
 * run time they sign, and the verifier names a development key as such.
 */
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { keyIdOf } from '../package/signing';
import { DEVELOPMENT_KEY_ID } from './dev-keys';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'nexis-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The caller's environment without the key variables the CLIs read. */
const inherited = Object.fromEntries(
  Object.entries(process.env).filter(
    ([name]) => name !== 'NEXIS_MODEL_SIGNING_KEY' && name !== 'NEXIS_MODEL_PUBLIC_KEY',
  ),
);

async function cli(script: string, args: readonly string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', `models/cli/${script}`, ...args], {
      timeout: 60_000,
      env: { ...inherited, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('model signing CLIs', () => {
  it('refuse to sign without a key, and say there is no committed key to fall back to', async () => {
    const pkg = join(dir, 'nokey');
    cpSync('resources/model', pkg, { recursive: true });
    const before = readFileSync(join(pkg, 'signature.json'), 'utf8');
    for (const [script, args] of [
      ['sign.ts', [pkg]],
      ['build-default.ts', ['--out', join(dir, 'never')]],
    ] as const) {
      const result = await cli(script, args);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /USAGE: --key <signing-key\.pem>.* is required: the repository holds no private key/,
      );
    }
    expect(readFileSync(join(pkg, 'signature.json'), 'utf8')).toBe(before);
  });

  it('sign with a key given at run time; the verifier marks the development key', async () => {
    const pkg = join(dir, 'signed');
    cpSync('resources/model', pkg, { recursive: true });
    const bank = generateKeyPairSync('ed25519');
    const keyFile = join(dir, 'bank.pem');
    const pubFile = join(dir, 'bank.pub.pem');
    writeFileSync(keyFile, bank.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    writeFileSync(pubFile, bank.publicKey.export({ type: 'spki', format: 'pem' }));
    const signed = await cli('sign.ts', [pkg], { NEXIS_MODEL_SIGNING_KEY: keyFile });
    expect(signed).toMatchObject({ code: 0, stderr: '' });
    expect(signed.stdout).toContain(`with key ${keyIdOf(bank.publicKey)}`);
    const bankVerify = await cli('verify.ts', [pkg, '--pub', pubFile]);
    expect(bankVerify.code).toBe(0);
    expect(bankVerify.stdout).not.toMatch(/development/);
    // The shipped package verifies with the committed development key, and says which key that is.
    const devVerify = await cli('verify.ts', ['resources/model']);
    expect(devVerify.code).toBe(0);
    expect(devVerify.stdout).toMatch(
      new RegExp(`key ${DEVELOPMENT_KEY_ID} \\(the development key.*not for production\\)`),
    );
    // And the bank-signed copy does not verify with it.
    expect((await cli('verify.ts', [pkg])).code).toBe(1);
  });
});
