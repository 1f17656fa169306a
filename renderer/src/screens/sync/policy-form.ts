/** The policy release form's rules: strict, so a release is refused here rather than by the central API. */
import type { z } from 'zod';
import { PolicyReleaseSchema, type PolicyRelease } from '../../../../shared/sync/pull';
import { versionRule } from './console-rules';

export interface PolicyValues {
  version: string;
  approve: number | string;
  refer: number | string;
  /** JSON text; empty publishes no reason texts */
  reasonTexts: string;
}

export const EMPTY_POLICY: PolicyValues = { version: '', approve: '', refer: '', reasonTexts: '' };

export const REASON_TEXTS_EXAMPLE = `{
  "income-not-verified": {
    "en": "The income stated could not be verified.",
    "sw": "Mapato yaliyotajwa hayakuweza kuthibitishwa."
  }
}`;

type ReasonTexts = z.infer<typeof PolicyReleaseSchema.shape.reasonTexts>;

function cutoffError(value: number | string): string | null {
  return typeof value === 'number' && Number.isInteger(value) ? null : 'A whole number of score points';
}

/** Reason texts from the textarea, or the message to show under it. */
export function parseReasonTexts(text: string): { ok: true; value: ReasonTexts } | { ok: false; message: string } {
  if (text.trim() === '') {
    return { ok: true, value: {} };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, message: 'Not valid JSON' };
  }
  const parsed = PolicyReleaseSchema.shape.reasonTexts.safeParse(json);
  if (parsed.success) {
    return { ok: true, value: parsed.data };
  }
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ` : '';
  return {
    ok: false,
    message: `${where}${issue?.message ?? 'invalid'} (each reason code needs {"en": "…", "sw": "…"}, at most 500 characters each)`,
  };
}

export const policyRules = {
  version: versionRule,
  approve: cutoffError,
  refer: (value: number | string, values: PolicyValues): string | null =>
    cutoffError(value) ??
    (typeof values.approve === 'number' && typeof value === 'number' && value >= values.approve
      ? 'The refer cut-off must be below the approve cut-off'
      : null),
  reasonTexts: (value: string): string | null => {
    const parsed = parseReasonTexts(value);
    return parsed.ok ? null : parsed.message;
  },
};

/** The release to publish; call only after the form validated. */
export function toPolicyRelease(values: PolicyValues): PolicyRelease {
  const reasonTexts = parseReasonTexts(values.reasonTexts);
  return PolicyReleaseSchema.parse({
    version: values.version.trim(),
    cutoffs: { approve: Number(values.approve), refer: Number(values.refer) },
    reasonTexts: reasonTexts.ok ? reasonTexts.value : {},
  });
}
