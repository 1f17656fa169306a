/** Reading a bank-signed release (the file `npm run release:sign` writes) before the console proposes it. */
import type { z } from 'zod';
import {
  ReleaseToSignSchema,
  SignedAppReleaseSchema,
  SignedPolicyReleaseSchema,
  type SignedAppRelease,
  type SignedPolicyRelease,
} from '../../../../shared/sync/signed-release';

type ReleaseKind = z.infer<typeof ReleaseToSignSchema>['kind'];

const KIND_NAMES: Record<ReleaseKind, { readonly name: string; readonly article: string }> = {
  policy: { name: 'policy release', article: 'a' },
  app: { name: 'app release', article: 'an' },
  officer: { name: 'officer grant', article: 'an' },
};

export type SignedParse<T> = { ok: true; value: T } | { ok: false; message: string };
export type SignedPolicyParse = SignedParse<SignedPolicyRelease>;

/** The signed release of `kind` in the text, or what is wrong with it in words the administrator can act on. */
function parseSigned<T>(text: string, kind: ReleaseKind, schema: z.ZodType<T>): SignedParse<T> {
  if (text.trim() === '') {
    return { ok: false, message: 'Open the signed release file, or paste its contents' };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, message: 'Not valid JSON' };
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) {
    return { ok: true, value: parsed.data };
  }
  // Another kind, signed or not, is named as such: the administrator picked the wrong file.
  const declared = (json as { kind?: unknown } | null)?.kind;
  const other = Object.entries(KIND_NAMES).find(([k]) => k === declared && k !== kind)?.[1];
  if (other !== undefined) {
    return {
      ok: false,
      message: `This is ${other.article} ${other.name}, not ${KIND_NAMES[kind].article} ${KIND_NAMES[kind].name}`,
    };
  }
  if (ReleaseToSignSchema.safeParse(json).success) {
    return { ok: false, message: 'This release is not signed yet: sign it offline with npm run release:sign first' };
  }
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` (${issue.path.map(String).join('.')}: ${issue.message})` : '';
  return { ok: false, message: `Not a signed ${KIND_NAMES[kind].name}${where}` };
}

export function parseSignedPolicy(text: string): SignedPolicyParse {
  return parseSigned(text, 'policy', SignedPolicyReleaseSchema);
}

export function parseSignedApp(text: string): SignedParse<SignedAppRelease> {
  return parseSigned(text, 'app', SignedAppReleaseSchema);
}

/** "approve 620 · refer 560": the cut-offs in the order the release lists them. */
export function describeCutoffs(cutoffs: Record<string, number>): string {
  return Object.entries(cutoffs)
    .map(([band, points]) => `${band} ${points}`)
    .join(' · ');
}
