/**
 * npm run model:sign -- <packageDir> [--key <private.pem>]
 * The key comes from --key, else NEXIS_MODEL_SIGNING_KEY (a path), else the DEVELOPMENT key pair.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ModelError } from '../core/errors';
import { readSignableFiles, SIGNATURE_FILE } from '../package/files';
import { loadPrivateKey, signPackage } from '../package/signing';
import { DEV_PRIVATE_KEY, parseArgs, runCli } from './args';

const USAGE = 'usage: npm run model:sign -- <packageDir> [--key <private.pem>]';

runCli(() => {
  const args = parseArgs(process.argv.slice(2));
  const dir = args.positional[0];
  if (dir === undefined) {
    throw new ModelError('USAGE', 'the package directory is required');
  }
  const keyPath = args.flags.get('key') ?? process.env.NEXIS_MODEL_SIGNING_KEY ?? DEV_PRIVATE_KEY;
  if (keyPath === DEV_PRIVATE_KEY) {
    process.stderr.write(
      'WARNING: signing with the DEVELOPMENT key (resources/model/dev-keys). Production packages must be signed with the bank’s own key.\n',
    );
  }
  let pem: string;
  try {
    pem = readFileSync(keyPath, 'utf8');
  } catch {
    throw new ModelError('KEY_INVALID', `cannot read the private key ${keyPath}`);
  }
  const signature = signPackage(readSignableFiles(dir), loadPrivateKey(pem));
  writeFileSync(join(dir, SIGNATURE_FILE), `${JSON.stringify(signature, null, 2)}\n`);
  process.stdout.write(`signed ${Object.keys(signature.document.files).join(', ')} with key ${signature.keyId}\n`);
}, USAGE);
