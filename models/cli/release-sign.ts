/**
 * npm run release:sign -- <release.json> --key <signing-key.pem> [--out <signed.json>]
 * Signs a policy release or an officer grant offline with the bank's release key (the model signing key). The input
 * is `{ "kind": "policy" | "officer", "serial": N, "release": { … } }` (shared/sync/signed-release.ts); the output,
 * with format, issue time, key id and signature, is what the console proposes and every branch verifies.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { ReleaseToSignSchema } from '../../shared/sync/signed-release';
import { ModelError } from '../core/errors';
import { signRelease } from '../package/release-signing';
import { parseArgs, readSigningKey, requireFlag, runCli } from './args';

const USAGE = 'usage: npm run release:sign -- <release.json> --key <signing-key.pem> [--out <signed.json>]';

runCli(() => {
  const args = parseArgs(process.argv.slice(2));
  const file = args.positional[0];
  if (file === undefined) {
    throw new ModelError('USAGE', 'the release file is required');
  }
  const keyPath = requireFlag(args, 'key');
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new ModelError('USAGE', `${file} is not a readable JSON file`);
  }
  const parsed = ReleaseToSignSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ModelError('USAGE', `${file}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'is not a release'}`);
  }
  const key = readSigningKey(keyPath);
  const release = parsed.data;
  const signed =
    release.kind === 'policy'
      ? signRelease(release, key)
      : release.kind === 'officer'
        ? signRelease(release, key)
        : signRelease(release, key);
  const out = args.flags.get('out') ?? file.replace(/(\.json)?$/, '.signed.json');
  writeFileSync(out, `${JSON.stringify(signed, null, 2)}\n`);
  process.stdout.write(`signed ${signed.kind} release (serial ${signed.serial}) with key ${signed.keyId} → ${out}\n`);
}, USAGE);
