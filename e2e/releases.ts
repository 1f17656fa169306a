/**
 * Bank-signed policy releases for the specs: signed in-process with the development release key the harness trusts
 * (server/testing/releases.ts), or with the real `release:sign` command, or with a stranger's key to play a forger.
 */
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { promisify } from 'node:util';
import { DEV_PRIVATE_KEY } from '../models/cli/args';
import { signedPolicy } from '../server/testing/releases';

const run = promisify(execFile);

export interface PolicyDraft {
  readonly version: string;
  readonly serial: number;
  readonly approve: number;
  readonly refer: number;
}

/** The signed release file's text, as `release:sign` writes it. */
export function signedPolicyText(draft: PolicyDraft, options: { forged?: boolean } = {}): string {
  const release = { version: draft.version, cutoffs: { approve: draft.approve, refer: draft.refer }, reasonTexts: {} };
  const key = options.forged ? generateKeyPairSync('ed25519').privateKey : undefined;
  return `${JSON.stringify(signedPolicy(draft.serial, release, key), null, 2)}\n`;
}

/** Signs a release file with the operator's command (`npm run release:sign`) and the development key; returns the signed file. */
export async function signWithCommand(file: string, out: string): Promise<string> {
  await run(
    process.execPath,
    ['--import', 'tsx', 'models/cli/release-sign.ts', file, '--key', DEV_PRIVATE_KEY, '--out', out],
    {
      timeout: 60_000,
    },
  );
  return out;
}
