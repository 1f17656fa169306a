/**
 * Ed25519 signatures over a model package. What is signed is a small canonical JSON document
 * (RFC 8785) listing the SHA-256 of every package file plus the model id, version and spec hash;
 * a file then verifies by hash. Verification works on bytes already in memory, so the caller
 * creates the ONNX session from exactly the bytes that were checked.
 */
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import canonicalize from 'canonicalize';
import { z } from 'zod';
import { computeSpecHash } from '../../shared/features';
import { ModelError } from '../core/errors';
import { sha256Hex } from '../core/hash';
import { assertValidModel } from '../ebm/model';
import { MANIFEST_FORMAT, ModelManifestSchema, type ModelManifest } from './manifest';

export const SIGNATURE_FORMAT = 'nexis-model-signature/1';
export const REQUIRED_FILES = ['manifest.json', 'model.onnx'] as const;

export const SignedDocumentSchema = z.strictObject({
  format: z.literal(SIGNATURE_FORMAT),
  modelId: z.string(),
  modelVersion: z.string(),
  specHash: z.string(),
  files: z.record(z.string(), z.string().regex(/^sha256:[0-9a-f]{64}$/)),
});
export type SignedDocument = z.infer<typeof SignedDocumentSchema>;

export const SignatureFileSchema = z.strictObject({
  algorithm: z.literal('Ed25519'),
  keyId: z.string(),
  document: SignedDocumentSchema,
  signature: z.string().regex(/^[A-Za-z0-9+/]+=*$/),
});
export type SignatureFile = z.infer<typeof SignatureFileSchema>;

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ModelError };

const fail = <T>(code: ModelError['code'], message: string): Result<T> => ({
  ok: false,
  error: new ModelError(code, message),
});

export const fileHash = (bytes: Uint8Array): string => `sha256:${sha256Hex(bytes)}`;

function canonicalBytes(document: SignedDocument): Buffer {
  const text = canonicalize(document);
  if (text === undefined) {
    throw new ModelError('MODEL_SIGNATURE_INVALID', 'the signed document cannot be serialised');
  }
  return Buffer.from(text, 'utf8');
}

/** Short id of a public key: the first 16 hex digits of the SHA-256 of its SPKI DER encoding. */
export function keyIdOf(publicKey: KeyObject): string {
  return sha256Hex(publicKey.export({ type: 'spki', format: 'der' })).slice(0, 16);
}

export function loadPrivateKey(pem: string | Uint8Array): KeyObject {
  try {
    const key = createPrivateKey(typeof pem === 'string' ? pem : Buffer.from(pem));
    if (key.asymmetricKeyType !== 'ed25519') {
      throw new ModelError('KEY_INVALID', `expected an Ed25519 private key, got ${key.asymmetricKeyType ?? 'unknown'}`);
    }
    return key;
  } catch (error) {
    throw error instanceof ModelError
      ? error
      : new ModelError('KEY_INVALID', 'the private key is not a readable PEM key');
  }
}

export function loadPublicKey(pem: string | Uint8Array): KeyObject {
  try {
    const key = createPublicKey(typeof pem === 'string' ? pem : Buffer.from(pem));
    if (key.asymmetricKeyType !== 'ed25519') {
      throw new ModelError('KEY_INVALID', `expected an Ed25519 public key, got ${key.asymmetricKeyType ?? 'unknown'}`);
    }
    return key;
  } catch (error) {
    throw error instanceof ModelError
      ? error
      : new ModelError('KEY_INVALID', 'the public key is not a readable PEM key');
  }
}

/** Signs every given file; manifest.json and model.onnx are required. */
export function signPackage(files: ReadonlyMap<string, Uint8Array>, privateKey: KeyObject): SignatureFile {
  for (const name of REQUIRED_FILES) {
    if (!files.has(name)) {
      throw new ModelError('MODEL_FILE_MISSING', `the package has no ${name}`);
    }
  }
  const manifest = parseManifest(files.get('manifest.json') as Uint8Array);
  if (!manifest.ok) {
    throw manifest.error;
  }
  const hashes: Record<string, string> = {};
  for (const name of [...files.keys()].sort()) {
    hashes[name] = fileHash(files.get(name) as Uint8Array);
  }
  const document: SignedDocument = {
    format: SIGNATURE_FORMAT,
    modelId: manifest.value.modelId,
    modelVersion: manifest.value.modelVersion,
    specHash: manifest.value.specHash,
    files: hashes,
  };
  const signature = sign(null, canonicalBytes(document), privateKey).toString('base64');
  return { algorithm: 'Ed25519', keyId: keyIdOf(createPublicKey(privateKey)), document, signature };
}

/** Parses and checks a manifest: schema, format, spec hash, and a scorable model. */
export function parseManifest(bytes: Uint8Array): Result<ModelManifest> {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return fail('MODEL_MANIFEST_INVALID', 'manifest.json is not UTF-8 JSON');
  }
  if (typeof json === 'object' && json !== null && 'format' in json && json.format !== MANIFEST_FORMAT) {
    return fail('MODEL_INCOMPATIBLE', `manifest format ${String(json.format)} is not ${MANIFEST_FORMAT}`);
  }
  const parsed = ModelManifestSchema.safeParse(json);
  if (!parsed.success) {
    return fail('MODEL_MANIFEST_INVALID', `manifest.json does not match the schema: ${z.prettifyError(parsed.error)}`);
  }
  const manifest = parsed.data;
  if (computeSpecHash(manifest.spec, sha256Hex) !== manifest.specHash) {
    return fail('MODEL_MANIFEST_INVALID', 'the manifest spec hash does not match its specification');
  }
  const keys = manifest.spec.features.map((f) => f.key);
  if (
    keys.join('\n') !== manifest.model.featureKeys.join('\n') ||
    keys.join('\n') !== manifest.onnx.featureOrder.join('\n')
  ) {
    return fail('MODEL_MANIFEST_INVALID', 'the model and ONNX feature order differ from the specification');
  }
  const problems = assertValidModel(manifest.model);
  if (problems.length > 0 || manifest.onnx.termNames.length !== manifest.model.terms.length) {
    return fail('MODEL_MANIFEST_INVALID', `the model tables are invalid: ${problems.join('; ') || 'term count'}`);
  }
  return { ok: true, value: manifest };
}

export interface PackageBytes {
  readonly manifest: Uint8Array;
  readonly onnx: Uint8Array;
  readonly signature: Uint8Array;
  /** Other signed files (model card) to check when present. */
  readonly others?: ReadonlyMap<string, Uint8Array>;
}

export interface VerifiedPackage {
  readonly manifest: ModelManifest;
  /** The verified ONNX bytes: create the session from these, never from the path again. */
  readonly onnx: Uint8Array;
  readonly keyId: string;
  /** SHA-256 of model.onnx, recorded with every score so a decision can be replayed. */
  readonly modelHash: string;
  readonly document: SignedDocument;
}

/**
 * Verifies signature, hashes and manifest, in that order. Refusals: MODEL_SIGNATURE_INVALID
 * (malformed, wrong key, altered signature), MODEL_HASH_MISMATCH (a changed byte, a swapped file),
 * MODEL_MANIFEST_INVALID / MODEL_INCOMPATIBLE (a signed but unusable manifest).
 */
export function verifyPackageBytes(bytes: PackageBytes, publicKey: KeyObject): Result<VerifiedPackage> {
  let signatureFile: SignatureFile;
  try {
    const parsed = SignatureFileSchema.safeParse(
      JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.signature)),
    );
    if (!parsed.success) {
      return fail('MODEL_SIGNATURE_INVALID', 'the signature file is malformed');
    }
    signatureFile = parsed.data;
  } catch {
    return fail('MODEL_SIGNATURE_INVALID', 'the signature file is not JSON');
  }
  const document = signatureFile.document;
  const valid = verify(null, canonicalBytes(document), publicKey, Buffer.from(signatureFile.signature, 'base64'));
  if (!valid) {
    return fail('MODEL_SIGNATURE_INVALID', `the package signature does not verify with key ${keyIdOf(publicKey)}`);
  }
  const present = new Map<string, Uint8Array>([
    ...(bytes.others ?? new Map<string, Uint8Array>()),
    ['manifest.json', bytes.manifest],
    ['model.onnx', bytes.onnx],
  ]);
  for (const name of REQUIRED_FILES) {
    if (document.files[name] === undefined) {
      return fail('MODEL_SIGNATURE_INVALID', `the signature does not cover ${name}`);
    }
  }
  for (const [name, content] of present) {
    const expected = document.files[name];
    if (expected === undefined) {
      return fail('MODEL_HASH_MISMATCH', `${name} is not covered by the signature`);
    }
    if (fileHash(content) !== expected) {
      return fail('MODEL_HASH_MISMATCH', `${name} differs from the signed file`);
    }
  }
  const manifest = parseManifest(bytes.manifest);
  if (!manifest.ok) {
    return manifest;
  }
  const m = manifest.value;
  if (m.modelId !== document.modelId || m.modelVersion !== document.modelVersion || m.specHash !== document.specHash) {
    return fail('MODEL_MANIFEST_INVALID', 'the manifest does not match the signed model id, version or spec hash');
  }
  return {
    ok: true,
    value: { manifest: m, onnx: bytes.onnx, keyId: keyIdOf(publicKey), modelHash: fileHash(bytes.onnx), document },
  };
}
