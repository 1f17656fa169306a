/**
 * Personal-data formats, once: the registration form checks them as the officer types, the IPC schema checks them
 * again in the core, and the messages name each field as the form labels it and say what to enter. Messages never
 * repeat the value (core messages reach the log).
 */
import { z } from 'zod';
import { LEGAL_AGE_YEARS } from '../domain/consent';

export { LEGAL_AGE_YEARS };

/** The labels of the registration form; messages use them so the officer knows which field is meant. */
export const PERSONAL_LABELS = {
  fullName: 'Full name',
  phone: 'Phone',
  email: 'Email',
  nationalId: 'National id',
  address: 'Address',
  dateOfBirth: 'Date of birth',
} as const;

/** Apostrophes as keyboards and phones type them: ' ’ ‘ ʼ (Ng’ang’a, O’Brien). */
const APOSTROPHES = "'\u2019\u2018\u02bc";
const NAME_PATTERN = new RegExp(`^[\\p{L}\\p{M}][\\p{L}\\p{M} .${APOSTROPHES}-]*$`, 'u');

export const FULL_NAME_MIN = 2;
export const FULL_NAME_MAX = 120;

export const FullNameSchema = z
  .string()
  .trim()
  .min(FULL_NAME_MIN, `${PERSONAL_LABELS.fullName}: enter the applicant's name as on the national id.`)
  .max(FULL_NAME_MAX, `${PERSONAL_LABELS.fullName}: shorten it to ${FULL_NAME_MAX} characters or fewer.`)
  .regex(
    NAME_PATTERN,
    `${PERSONAL_LABELS.fullName}: use letters, spaces, apostrophes, dots and dashes only (no digits or other signs).`,
  );

export const PHONE_HINT = 'With the country code, such as +254 712 345 678';

export const PhoneSchema = z
  .string()
  .trim()
  .regex(
    /^\+?[0-9][0-9 ()-]{7,22}$/,
    `${PERSONAL_LABELS.phone}: enter the number with its country code, such as +254 712 345 678.`,
  )
  .refine((phone) => {
    const digits = phone.replace(/\D/g, '').length;
    return digits >= 8 && digits <= 15;
  }, `${PERSONAL_LABELS.phone}: a phone number has 8 to 15 digits, such as +254 712 345 678.`);

export const EmailSchema = z
  .email(`${PERSONAL_LABELS.email}: enter an address such as name@example.com, or leave it empty.`)
  .max(254, `${PERSONAL_LABELS.email}: shorten it to 254 characters or fewer.`);

export const NATIONAL_ID_HINT = '5 to 20 letters or digits; dashes and spaces are ignored';

/** The national id as stored and compared: letters and digits only, upper case ("12-345 678" → "12345678"). */
export function normaliseNationalId(id: string): string {
  return id.replace(/[\s./-]/g, '').toUpperCase();
}

export const NationalIdSchema = z
  .string()
  .trim()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9\s./-]*$/,
    `${PERSONAL_LABELS.nationalId}: use letters and digits only, as printed on the id (dashes and spaces are fine).`,
  )
  .transform(normaliseNationalId)
  .pipe(
    z
      .string()
      .regex(
        /^[A-Z0-9]{5,20}$/,
        `${PERSONAL_LABELS.nationalId}: an id number has 5 to 20 letters or digits; check it against the id.`,
      ),
  );

export const AddressSchema = z
  .string()
  .trim()
  .max(200, `${PERSONAL_LABELS.address}: shorten it to 200 characters or fewer.`);

/** The one date format: shown in the field as its placeholder, asked for by its messages. */
export const DATE_FORMAT = 'YYYY-MM-DD';
export const DATE_EXAMPLE = '1991-04-12';
/** Nobody applying is older than this; an earlier year is a typing mistake. */
export const MAX_AGE_YEARS = 120;

/** Whole years between a YYYY-MM-DD birth date and `now` (UTC calendar). */
export function ageOn(dateOfBirth: string, now: Date): number {
  const [y, m, d] = dateOfBirth.split('-').map(Number) as [number, number, number];
  let age = now.getUTCFullYear() - y;
  const beforeBirthday = now.getUTCMonth() + 1 < m || (now.getUTCMonth() + 1 === m && now.getUTCDate() < d);
  if (beforeBirthday) {
    age -= 1;
  }
  return age;
}

function isRealDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    return false;
  }
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/** The latest birth date that is old enough to apply on `now`, as YYYY-MM-DD. */
export function latestBirthDateFor(now: Date): string {
  const year = now.getUTCFullYear() - LEGAL_AGE_YEARS;
  const day = new Date(Date.UTC(year, now.getUTCMonth(), now.getUTCDate()));
  return day.toISOString().slice(0, 10);
}

/** The problem with a birth date, in plain words, or null. Checked as the officer leaves the field. */
export function dateOfBirthProblem(text: string, now: Date = new Date()): string | null {
  const label = PERSONAL_LABELS.dateOfBirth;
  const value = text.trim();
  if (value === '') {
    return `${label}: enter it as ${DATE_FORMAT}, such as ${DATE_EXAMPLE}.`;
  }
  if (!isRealDate(value)) {
    return `${label}: enter a real date as ${DATE_FORMAT} (year, month, day), such as ${DATE_EXAMPLE}.`;
  }
  const today = now.toISOString().slice(0, 10);
  if (value > today) {
    return `${label}: this date is in the future; check the year.`;
  }
  const age = ageOn(value, now);
  if (age > MAX_AGE_YEARS) {
    return `${label}: this date is more than ${MAX_AGE_YEARS} years ago; check the year.`;
  }
  if (age < LEGAL_AGE_YEARS) {
    return `${label}: the applicant must be at least ${LEGAL_AGE_YEARS} years old, so born on or before ${latestBirthDateFor(now)}.`;
  }
  return null;
}

/** The date as a string that passes `dateOfBirthProblem` on the day it is parsed. */
export const DateOfBirthSchema = z
  .string()
  .trim()
  .superRefine((value, ctx) => {
    const problem = dateOfBirthProblem(value);
    if (problem !== null) {
      ctx.addIssue({ code: 'custom', message: problem });
    }
  });
