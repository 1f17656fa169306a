/**
 * npm run dist -- --trust <bank-trust.json> [electron-builder options…]   (or NEXIS_TRUST_FILE=<file> npm run dist)
 *
 * A release build: checks the bank's trust file (electron/core/system/trust-config.ts; docs/trust.md), builds the app,
 * bakes the checked file into the build output that electron-builder packs INSIDE the asar archive
 * (out/trust/trust.json), packages, then reads the fuses back. Without a trust file, or with one that names the
 * development key, an http server or anything malformed, it stops before building: a release build with no bank
 * trust is not a release. The packaged app reads its trust only from there, never from the environment.
 *
 * Exit 0: built; 1: the trust file was refused or a build step failed; 2: no trust file given.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readPackageBytes } from '../models/package/files';
import { loadPublicKey, verifyPackageBytes } from '../models/package/signing';
import {
  BAKED_TRUST_PATH,
  parseTrustFile,
  readTrustFile,
  TrustConfigError,
  type BankTrust,
  type TrustFile,
} from '../electron/core/system/trust-config';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export const NO_TRUST_MESSAGE =
  'npm run dist needs the bank trust file: `npm run dist -- --trust <bank-trust.json>` or NEXIS_TRUST_FILE=<file>. ' +
  'A release build with no bank trust is not a release (docs/trust.md).';

/** The trust file named by `--trust <file>` (first) or NEXIS_TRUST_FILE; the other arguments go to electron-builder. */
export function trustFileArgument(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): { readonly file: string | null; readonly rest: string[] } {
  const rest: string[] = [];
  let file: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--trust') {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) {
        throw new TrustConfigError('TRUST_MISSING', '--trust needs the path of the bank trust file.');
      }
      file = value;
      i++;
    } else if (arg.startsWith('--trust=')) {
      file = arg.slice('--trust='.length);
    } else {
      rest.push(arg);
    }
  }
  const fromEnv = env.NEXIS_TRUST_FILE;
  return { file: file ?? (fromEnv === undefined || fromEnv === '' ? null : fromEnv), rest };
}

/** The baked form: the checked, normalised fields only (no stray whitespace or comments from the bank's copy). */
function bakedFile(trust: BankTrust): TrustFile {
  return {
    bankName: trust.bankName,
    releasePublicKeyPem: trust.releasePublicKeyPem,
    centralServerUrl: trust.centralServer.url,
    ...(trust.centralServer.caPem === undefined ? {} : { centralServerCaPem: trust.centralServer.caPem }),
    ...(trust.centralServer.spkiPins === undefined ? {} : { centralServerSpkiPins: [...trust.centralServer.spkiPins] }),
    updateChannel: trust.updateChannel,
    ...(trust.recoveryRecipients === null ? {} : { recoveryRecipients: [...trust.recoveryRecipients] }),
  };
}

/**
 * Checks the trust file and writes it to `<appRoot>/out/trust/trust.json`; reads the written file back through the
 * same check the packaged app runs at start. Throws TrustConfigError on any refusal.
 */
export function bakeTrust(trustFile: string, appRoot: string): BankTrust {
  const trust = readTrustFile(trustFile);
  const target = join(appRoot, BAKED_TRUST_PATH);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, `${JSON.stringify(bakedFile(trust), null, 2)}\n`);
  const reread = parseTrustFile(readFileSync(target));
  if (reread.releaseKeyId !== trust.releaseKeyId || reread.centralServer.url !== trust.centralServer.url) {
    throw new TrustConfigError('TRUST_INVALID', `${target} does not read back as the trust file that was baked.`);
  }
  return trust;
}

/** Whether the default package the build ships verifies with the bank's key (else it is refused at start). */
export function shippedModelProblem(trust: BankTrust, appRoot: string): string | null {
  try {
    const verified = verifyPackageBytes(
      readPackageBytes(join(appRoot, 'resources', 'model')),
      loadPublicKey(trust.releasePublicKeyPem),
    );
    return verified.ok ? null : `${verified.error.code}: ${verified.error.message}`;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function step(command: string, args: readonly string[]): void {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (exit ${String(result.status ?? result.signal)})`);
  }
}

function main(argv: readonly string[]): number {
  let file: string | null;
  let rest: string[];
  try {
    ({ file, rest } = trustFileArgument(argv, process.env));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${NO_TRUST_MESSAGE}\n`);
    return 2;
  }
  if (file === null) {
    process.stderr.write(`${NO_TRUST_MESSAGE}\n`);
    return 2;
  }
  let trust: BankTrust;
  try {
    // Checked before building, so a refused file costs nothing; baked after, because the build empties out/main etc.
    trust = readTrustFile(resolve(file));
  } catch (error) {
    if (error instanceof TrustConfigError) {
      process.stderr.write(`${error.code}: ${error.message}\nThe release build stops here: nothing was built.\n`);
      return 1;
    }
    throw error;
  }
  const modelProblem = shippedModelProblem(trust, ROOT);
  if (modelProblem !== null) {
    process.stderr.write(
      `WARNING: resources/model does not verify with the bank's release key ${trust.releaseKeyId} (${modelProblem}). ` +
        'The build will start without a scoring model until a signed model release arrives; sign the bank package ' +
        'into resources/model first (npm run model:sign) to ship one.\n',
    );
  }
  try {
    step('npm', ['run', 'build']);
    bakeTrust(resolve(file), ROOT);
    process.stdout.write(
      `baked the trust of ${trust.bankName}: release key ${trust.releaseKeyId}, central server ${trust.centralServer.url}, ` +
        `channel ${trust.updateChannel} → ${BAKED_TRUST_PATH}\n`,
    );
    step('npx', ['electron-builder', ...rest]);
    step('npm', ['run', 'check:fuses']);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  return 0;
}

if (process.argv[1]?.endsWith('bake-trust.ts') === true) {
  process.exitCode = main(process.argv.slice(2));
}
