/**
 * Applicant ids: `NEX-` + 10 random Crockford base32 symbols (50 bits, grouped 5-5) + a Crockford mod-37 check
 * symbol, e.g. `NEX-7K2QM-9XD4R-J`. Random, so ids reveal nothing about order or volume; the check symbol catches a
 * mistyped or transposed symbol when an officer types an id. Environment-neutral: the core supplies random bytes.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CHECK_ALPHABET = `${ALPHABET}*~$=U`;
const BODY_SYMBOLS = 10;

export const APPLICANT_ID_PATTERN = /^NEX-([0-9A-HJKMNP-TV-Z]{5})-([0-9A-HJKMNP-TV-Z]{5})-([0-9A-HJKMNP-TV-Z*~$=U])$/;

function checkSymbol(body: string): string {
  let value = 0n;
  for (const symbol of body) {
    value = value * 32n + BigInt(ALPHABET.indexOf(symbol));
  }
  return CHECK_ALPHABET[Number(value % 37n)] ?? '';
}

/** Builds an id from at least 7 random bytes (only the first 50 bits are used). */
export function applicantIdFromBytes(random: Uint8Array): string {
  if (random.length < 7) {
    throw new Error('applicantIdFromBytes needs at least 7 random bytes');
  }
  let bits = 0n;
  for (const byte of random.subarray(0, 7)) {
    bits = (bits << 8n) | BigInt(byte);
  }
  bits >>= 6n; // 56 → 50 bits
  let body = '';
  for (let i = 0; i < BODY_SYMBOLS; i += 1) {
    body = (ALPHABET[Number(bits & 31n)] ?? '') + body;
    bits >>= 5n;
  }
  return `NEX-${body.slice(0, 5)}-${body.slice(5)}-${checkSymbol(body)}`;
}

/** Accepts lower case and Crockford's look-alikes (O→0, I/L→1) as a person may type them. */
export function normaliseApplicantId(text: string): string {
  return text
    .trim()
    .toUpperCase()
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1')
    .replace(/^NEX(?!-)/, 'NEX-');
}

export function isValidApplicantId(id: string): boolean {
  const match = APPLICANT_ID_PATTERN.exec(id);
  return match !== null && checkSymbol(`${match[1] ?? ''}${match[2] ?? ''}`) === match[3];
}
