/** The policy release form's rules: strict, so a release is refused here rather than by the central API. */
import type { z } from 'zod';
import { PolicyReleaseSchema, type PolicyRelease } from '../../../../shared/sync/pull';
import { cutoffProblems, parseCutoff, type CutoffField } from '../../../../shared/rules/policy-cutoffs';
import { officerNumberSymbols } from '../../format';
import { versionRule } from './console-rules';

export interface PolicyValues {
  version: string;
  /** As typed; read by the shared cut-off rule, never clamped. */
  approve: string;
  refer: string;
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

function cutoffError(field: CutoffField, value: string): string | null {
  const parsed = parseCutoff(field, value, officerNumberSymbols());
  return parsed.ok ? null : parsed.message;
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
  approve: (value: string): string | null => cutoffError('approve', value),
  refer: (value: string, values: PolicyValues): string | null => {
    const own = cutoffError('refer', value);
    const approve = parseCutoff('approve', values.approve, officerNumberSymbols());
    const refer = parseCutoff('refer', value, officerNumberSymbols());
    if (own !== null || !approve.ok || !refer.ok) {
      return own;
    }
    return (
      cutoffProblems({ approve: approve.value, refer: refer.value }, undefined, officerNumberSymbols()).refer ?? null
    );
  },
  reasonTexts: (value: string): string | null => {
    const parsed = parseReasonTexts(value);
    return parsed.ok ? null : parsed.message;
  },
};

function cutoffValue(field: CutoffField, text: string): number {
  const parsed = parseCutoff(field, text, officerNumberSymbols());
  return parsed.ok ? parsed.value : Number.NaN;
}

/** The release to publish; call only after the form validated. */
export function toPolicyRelease(values: PolicyValues): PolicyRelease {
  const reasonTexts = parseReasonTexts(values.reasonTexts);
  return PolicyReleaseSchema.parse({
    version: values.version.trim(),
    cutoffs: { approve: cutoffValue('approve', values.approve), refer: cutoffValue('refer', values.refer) },
    reasonTexts: reasonTexts.ok ? reasonTexts.value : {},
  });
}
