/**
 * TOTP second factor (RFC 6238: HMAC-SHA1, 6 digits, 30-second steps) through otpauth. A code is accepted within one
 * step of the server's clock, and never twice: the highest accepted step is stored and any code at or below it is a
 * replay (RFC 6238 §5.2).
 */
import { Secret, TOTP } from 'otpauth';

export const TOTP_PERIOD_SECONDS = 30;
const ISSUER = 'NEXIS central';

function totp(secretBase32: string, label: string): TOTP {
  return new TOTP({
    issuer: ISSUER,
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: TOTP_PERIOD_SECONDS,
    secret: Secret.fromBase32(secretBase32),
  });
}

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export function totpUri(secretBase32: string, label: string): string {
  return totp(secretBase32, label).toString();
}

/** The step a valid code belongs to, or undefined when it is not valid now (±1 step). */
export function totpStep(secretBase32: string, code: string, now: Date): number | undefined {
  const delta = totp(secretBase32, 'x').validate({ token: code, timestamp: now.getTime(), window: 1 });
  return delta === null ? undefined : Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS) + delta;
}

/** The code for a time: for tests and the bootstrap command's self-check, never sent anywhere. */
export function totpCode(secretBase32: string, at: Date): string {
  return totp(secretBase32, 'x').generate({ timestamp: at.getTime() });
}
