/**
 * npm run model:build-default -- --key <signing-key.pem> [--out resources/model] [--rows 20000] [--seed 42]
 * Rebuilds the default model package shipped with the app: synthetic data → train → sign with the given key. Fixed
 * seed and timestamp, so a rebuild reproduces the committed package files (the signature is the key's). `--key` is
 * required: the repository holds no private key (the committed development public key's private half was discarded,
 * resources/model/dev-keys/README.md), so a rebuild is signed with a new key, whose public half then replaces
 * dev-keys/public.pem and DEVELOPMENT_KEY_ID (models/cli/dev-keys.ts).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NEXIS_FEATURE_SPEC } from '../../shared/features';
import { datasetFromCsv } from '../data/dataset';
import { syntheticCsv } from '../data/synthetic';
import { recommendedOptions } from '../ebm/options';
import { SIGNATURE_FILE, writePackageFiles } from '../package/files';
import { signPackage } from '../package/signing';
import { buildModelPackage } from '../pipeline/build-package';
import { numberFlag, parseArgs, readSigningKey, runCli } from './args';
import { ModelError } from '../core/errors';

const USAGE =
  'usage: npm run model:build-default -- --key <signing-key.pem> [--out resources/model] [--rows 20000] [--seed 42]';
export const DEFAULT_MODEL_CREATED_AT = '2026-11-25T00:00:00.000Z';

runCli(() => {
  const args = parseArgs(process.argv.slice(2));
  const keyPath = args.flags.get('key');
  if (keyPath === undefined) {
    throw new ModelError(
      'USAGE',
      '--key <signing-key.pem> is required: the repository holds no private key to sign the default package with',
    );
  }
  const key = readSigningKey(keyPath);
  const out = args.flags.get('out') ?? 'resources/model';
  const rows = numberFlag(args, 'rows', 20_000);
  const seed = numberFlag(args, 'seed', 42);
  const data = datasetFromCsv(syntheticCsv({ rows, seed }), NEXIS_FEATURE_SPEC);
  const built = buildModelPackage({
    data,
    modelId: 'nexis-default',
    modelVersion: '1.0.0',
    createdAt: DEFAULT_MODEL_CREATED_AT,
    options: { ...recommendedOptions(rows), seed, maxBins: 64 },
    trainingData: {
      source: `models/data/synthetic.ts, ${rows} rows, seed ${seed}`,
      synthetic: true,
      license: 'generated; no personal data',
      description:
        'SYNTHETIC applicants from the NEXIS alternative-data generator (docs/model-synthetic-data.md). No row describes a real person; the model demonstrates the pipeline and must be retrained on real outcomes before production use.',
    },
  });
  writePackageFiles(out, built.files);
  const signature = signPackage(built.files, key);
  writeFileSync(join(out, SIGNATURE_FILE), `${JSON.stringify(signature, null, 2)}\n`);
  const m = built.manifest.metrics.holdout;
  process.stdout.write(
    `default package written to ${out} and signed with key ${signature.keyId}: holdout AUC ${m.auc.toFixed(4)}, ${built.model.terms.length} terms\n`,
  );
}, USAGE);
