/**
 * Bank-signed policy releases for the specs, and the trust the harness is started with. The "bank" release key is
 * made at run time (server/testing/releases.ts; the repository holds no private key): the harness trusts its public
 * half (`--release-key`) and starts on the default package re-signed with it (`--model`). Releases are signed
 * in-process, or with the real `release:sign` command and the key written to a private temp file, or with a
 * stranger's key to play a forger.
 */
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { signedPolicy, testModelDir, testReleaseKey, testReleasePublicKeyPem } from '../server/testing/releases';

const run = promisify(execFile);

export interface PolicyDraft {
  readonly version: string;
  readonly serial: number;
  readonly approve: number;
  readonly refer: number;
}

let keyFiles: { readonly privateKey: string; readonly publicKey: string } | undefined;

/** The run-time release key pair of this test process as PEM files (private one 0600, in a 0700 temp folder). */
function releaseKeyFiles(): { readonly privateKey: string; readonly publicKey: string } {
  if (keyFiles === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'nexis-e2e-keys-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    const privateKey = join(dir, 'release-signing-key.pem');
    const publicKey = join(dir, 'release-public.pem');
    writeFileSync(privateKey, testReleaseKey().export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    writeFileSync(publicKey, testReleasePublicKeyPem());
    keyFiles = { privateKey, publicKey };
  }
  return keyFiles;
}

/** Harness flags: trust this process's release key and start on the default package signed with it. */
export function harnessTrustArgs(): string[] {
  return ['--release-key', releaseKeyFiles().publicKey, '--model', testModelDir()];
}

/** The signed release file's text, as `release:sign` writes it. */
export function signedPolicyText(draft: PolicyDraft, options: { forged?: boolean } = {}): string {
  const release = { version: draft.version, cutoffs: { approve: draft.approve, refer: draft.refer }, reasonTexts: {} };
  const key = options.forged ? generateKeyPairSync('ed25519').privateKey : undefined;
  return `${JSON.stringify(signedPolicy(draft.serial, release, key), null, 2)}\n`;
}

/** Signs a release file with the operator's command (`npm run release:sign`) and the run-time release key. */
export async function signWithCommand(file: string, out: string): Promise<string> {
  await run(
    process.execPath,
    ['--import', 'tsx', 'models/cli/release-sign.ts', file, '--key', releaseKeyFiles().privateKey, '--out', out],
    {
      timeout: 60_000,
    },
  );
  return out;
}
