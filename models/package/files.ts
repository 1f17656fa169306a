/** Reading and writing a package directory; the only file-system code of the package format. */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ModelError } from '../core/errors';
import type { PackageBytes } from './signing';

export const SIGNATURE_FILE = 'signature.json';
export const SIGNED_FILES = ['manifest.json', 'model.onnx', 'model-card.json', 'model-card.md'] as const;

export function writePackageFiles(dir: string, files: ReadonlyMap<string, Uint8Array>): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, bytes] of files) {
    writeFileSync(join(dir, name), bytes);
  }
}

/** The signable files present in a package directory (manifest and ONNX required). */
export function readSignableFiles(dir: string): Map<string, Uint8Array> {
  if (!existsSync(dir)) {
    throw new ModelError('MODEL_FILE_MISSING', `no package directory at ${dir}`);
  }
  const present = new Set(readdirSync(dir));
  const files = new Map<string, Uint8Array>();
  for (const name of SIGNED_FILES) {
    if (present.has(name)) {
      files.set(name, readFileSync(join(dir, name)));
    } else if (name === 'manifest.json' || name === 'model.onnx') {
      throw new ModelError('MODEL_FILE_MISSING', `the package at ${dir} has no ${name}`);
    }
  }
  return files;
}

/** Reads a package once into memory for `verifyPackageBytes`. */
export function readPackageBytes(dir: string): PackageBytes {
  const files = readSignableFiles(dir);
  const signaturePath = join(dir, SIGNATURE_FILE);
  if (!existsSync(signaturePath)) {
    throw new ModelError('MODEL_SIGNATURE_MISSING', `the package at ${dir} is not signed (no ${SIGNATURE_FILE})`);
  }
  const others = new Map([...files].filter(([name]) => name !== 'manifest.json' && name !== 'model.onnx'));
  return {
    manifest: files.get('manifest.json') as Uint8Array,
    onnx: files.get('model.onnx') as Uint8Array,
    signature: readFileSync(signaturePath),
    others,
  };
}
