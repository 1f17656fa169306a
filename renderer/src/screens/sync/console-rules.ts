/** Field rules for the console forms: the contract's own schemas, with messages a person can act on. */
import type { z } from 'zod';
import { isValidApplicantId, normaliseApplicantId } from '../../../../shared/domain/applicant-id';
import { BranchIdSchema, VersionSchema } from '../../../../shared/sync/primitives';

function matches(schema: z.ZodType, message: string): (value: string) => string | null {
  return (value) => (schema.safeParse(value.trim()).success ? null : message);
}

export const branchIdRule = (value: string): string | null =>
  matches(BranchIdSchema, 'Capital letters, digits and dashes, 2 to 32 characters, e.g. NBO-01')(value.toUpperCase());

export const versionRule = matches(
  VersionSchema,
  'Letters, digits, dots, plus or dashes (up to 64), starting with a letter or digit, e.g. 2026.11-1',
);

/** Applicant ids with their check symbol, so a mistyped id never reaches every branch. */
export const applicantIdRule = (value: string): string | null =>
  isValidApplicantId(normaliseApplicantId(value))
    ? null
    : 'An applicant id such as NEX-7K2QM-9XD4R-J (the last symbol is a check: a typing error shows here)';
