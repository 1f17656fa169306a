/**
 * npm run model:sign -- <packageDir> --key <signing-key.pem>
 * The key comes from --key, else NEXIS_MODEL_SIGNING_KEY (a path); there is no fallback: the repository holds no
 * private key. Sign with the bank's own key (docs/trust.md), or, in tests, with a key made at run time.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ModelError } from '../core/errors';
import { readSignableFiles, SIGNATURE_FILE } from '../package/files';
import { signPackage } from '../package/signing';
import { parseArgs, readSigningKey, runCli } from './args';

const USAGE =
  'usage: npm run model:sign -- <packageDir> --key <signing-key.pem>   (or NEXIS_MODEL_SIGNING_KEY=<signing-key.pem>)';

runCli(() => {
  const args = parseArgs(process.argv.slice(2));
  const dir = args.positional[0];
  if (dir === undefined) {
    throw new ModelError('USAGE', 'the package directory is required');
  }
  const keyPath = args.flags.get('key') ?? process.env.NEXIS_MODEL_SIGNING_KEY;
  if (keyPath === undefined) {
    throw new ModelError(
      'USAGE',
      '--key <signing-key.pem> (or NEXIS_MODEL_SIGNING_KEY) is required: the repository holds no private key to fall back to',
    );
  }
  const key = readSigningKey(keyPath);
  const signature = signPackage(readSignableFiles(dir), key);
  writeFileSync(join(dir, SIGNATURE_FILE), `${JSON.stringify(signature, null, 2)}\n`);
  process.stdout.write(`signed ${Object.keys(signature.document.files).join(', ')} with key ${signature.keyId}\n`);
}, USAGE);
