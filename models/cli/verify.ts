/**
 * npm run model:verify -- <packageDir> [--pub <public.pem>]
 * The key comes from --pub, else NEXIS_MODEL_PUBLIC_KEY (a path), else the DEVELOPMENT public key (which only the
 * shipped default package is signed with; packaged builds refuse it).
 * Exit code 0 when the package verifies, 1 with `CODE: reason` otherwise.
 */
import { readFileSync } from 'node:fs';
import { ModelError } from '../core/errors';
import { loadModelPackage } from '../runtime/index';
import { loadPublicKey } from '../package/signing';
import { DEV_PUBLIC_KEY, parseArgs, runCli } from './args';
import { refusedKeyReason } from './dev-keys';

const USAGE = 'usage: npm run model:verify -- <packageDir> [--pub <public.pem>]';

runCli(() => {
  const args = parseArgs(process.argv.slice(2));
  const dir = args.positional[0];
  if (dir === undefined) {
    throw new ModelError('USAGE', 'the package directory is required');
  }
  const keyPath = args.flags.get('pub') ?? process.env.NEXIS_MODEL_PUBLIC_KEY ?? DEV_PUBLIC_KEY;
  let pem: string;
  try {
    pem = readFileSync(keyPath, 'utf8');
  } catch {
    throw new ModelError('KEY_INVALID', `cannot read the public key ${keyPath}`);
  }
  const result = loadModelPackage(dir, pem);
  if (!result.ok) {
    throw result.error;
  }
  const { manifest, keyId, modelHash } = result.value;
  const refused = refusedKeyReason(loadPublicKey(pem));
  const devNote = refused === null ? '' : ` (${refused}: not for production)`;
  process.stdout.write(
    `OK ${manifest.modelId} ${manifest.modelVersion}: signature by key ${keyId}${devNote}, model ${modelHash}, spec ${manifest.specHash}\n`,
  );
}, USAGE);
