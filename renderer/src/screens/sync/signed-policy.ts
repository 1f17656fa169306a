/** Reading a bank-signed policy release (the file `npm run release:sign` writes) before the console proposes it. */
import {
  ReleaseToSignSchema,
  SignedPolicyReleaseSchema,
  type SignedPolicyRelease,
} from '../../../../shared/sync/signed-release';

export type SignedPolicyParse = { ok: true; value: SignedPolicyRelease } | { ok: false; message: string };

/** The signed release in the text, or what is wrong with it in words the administrator can act on. */
export function parseSignedPolicy(text: string): SignedPolicyParse {
  if (text.trim() === '') {
    return { ok: false, message: 'Open the signed release file, or paste its contents' };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, message: 'Not valid JSON' };
  }
  const parsed = SignedPolicyReleaseSchema.safeParse(json);
  if (parsed.success) {
    return { ok: true, value: parsed.data };
  }
  const toSign = ReleaseToSignSchema.safeParse(json);
  if (toSign.success) {
    return toSign.data.kind === 'policy'
      ? { ok: false, message: 'This release is not signed yet: sign it offline with npm run release:sign first' }
      : {
          ok: false,
          message: `This is ${toSign.data.kind === 'app' ? 'an app release' : 'an officer grant'}, not a policy release`,
        };
  }
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` (${issue.path.map(String).join('.')}: ${issue.message})` : '';
  return { ok: false, message: `Not a signed policy release${where}` };
}

/** "approve 620 · refer 560": the cut-offs in the order the release lists them. */
export function describeCutoffs(cutoffs: Record<string, number>): string {
  return Object.entries(cutoffs)
    .map(([band, points]) => `${band} ${points}`)
    .join(' · ');
}
