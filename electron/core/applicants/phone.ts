/**
 * Phone numbers as one canonical value, whatever way the officer wrote them: `0712 345 678`, `712345678`,
 * `+254 712-345-678` and `254712345678` are one Kenyan number. Parsing and validity come from libphonenumber-js
 * (Google's libphonenumber metadata), because numbering plans change and hand-written rules drift from them.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/** Numbers written without a country code are read as Kenyan: the workstation serves Kenyan branches. */
export const DEFAULT_PHONE_REGION = 'KE';

/** The E.164 digits (no `+`) of a valid number, or null when the text is not a valid phone number. */
export function canonicalPhoneDigits(text: string): string | null {
  const parsed = parsePhoneNumberFromString(text.trim(), DEFAULT_PHONE_REGION);
  if (parsed === undefined || !parsed.isValid()) {
    return null;
  }
  return parsed.number.slice(1);
}
