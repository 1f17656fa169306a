/** Minimal flag parsing shared by the model CLIs: `--name value` pairs and positional arguments; the signing key. */
import { readFileSync } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { ModelError } from '../core/errors';
import { loadPrivateKey } from '../package/signing';
import { warnIfRefusedKey } from './dev-keys';

export interface ParsedArgs {
  readonly flags: ReadonlyMap<string, string>;
  readonly positional: readonly string[];
}

export function parseArgs(argv: readonly string[], booleanFlags: readonly string[] = []): ParsedArgs {
  const flags = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg.startsWith('--')) {
      const name = arg.slice(2);
      if (booleanFlags.includes(name)) {
        flags.set(name, 'true');
        continue;
      }
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) {
        throw new ModelError('USAGE', `--${name} needs a value`);
      }
      flags.set(name, value);
      i++;
    } else {
      positional.push(arg);
    }
  }
  return { flags, positional };
}

export function requireFlag(args: ParsedArgs, name: string): string {
  const value = args.flags.get(name);
  if (value === undefined) {
    throw new ModelError('USAGE', `--${name} is required`);
  }
  return value;
}

export function numberFlag(args: ParsedArgs, name: string, fallback: number): number {
  const value = args.flags.get(name);
  if (value === undefined) {
    return fallback;
  }
  const n = Number(value);
  if (!Number.isFinite(n)) {
    throw new ModelError('USAGE', `--${name} must be a number`);
  }
  return n;
}

/** A number flag that must lie in [min, max] (inclusive), e.g. a tolerance or a count. */
export function boundedNumberFlag(args: ParsedArgs, name: string, fallback: number, min: number, max: number): number {
  const n = numberFlag(args, name, fallback);
  if (n < min || n > max) {
    throw new ModelError('USAGE', `--${name} must be between ${min} and ${max}`);
  }
  return n;
}

/**
 * The DEVELOPMENT public key committed beside the default package (resources/model/dev-keys/README.md). Its private
 * half is not in the repository: nothing can sign with it any more, and packaged builds refuse to trust it
 * (electron/core/system/trust-config.ts). Tests sign with keys they generate at run time.
 */
export const DEV_PUBLIC_KEY = fileURLToPath(new URL('../../resources/model/dev-keys/public.pem', import.meta.url));

/** Runs a CLI body, printing a ModelError as `CODE: message` with exit code 1. */
export function runCli(main: () => Promise<void> | void, usage: string): void {
  Promise.resolve()
    .then(main)
    .catch((error: unknown) => {
      if (error instanceof ModelError) {
        process.stderr.write(`${error.code}: ${error.message}\n`);
        if (error.code === 'USAGE') {
          process.stderr.write(`${usage}\n`);
        }
      } else {
        process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      }
      process.exitCode = 1;
    });
}

/** The Ed25519 private key at `keyPath` for signing, with a warning when it is a key packaged builds refuse. */
export function readSigningKey(keyPath: string): KeyObject {
  let pem: string;
  try {
    pem = readFileSync(keyPath, 'utf8');
  } catch {
    throw new ModelError('KEY_INVALID', `cannot read the private key ${keyPath}`);
  }
  const key = loadPrivateKey(pem);
  warnIfRefusedKey(key);
  return key;
}
