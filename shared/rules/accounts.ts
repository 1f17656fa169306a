/**
 * Officer accounts: the username format and the password policy, once for the workstation's forms, its core and the
 * central API's administrator accounts. Length over composition rules (NIST SP 800-63B): at least 12 characters, not
 * containing the username, not one or two repeated characters.
 */
import { z } from 'zod';

export const USERNAME_LABEL = 'Username';
export const USERNAME_MIN = 3;
export const USERNAME_MAX = 64;
export const USERNAME_HINT =
  'Letters, digits, dots, dashes or underscores, such as baraka.mwangi (stored in lower case)';

/** The username as stored and compared: trimmed and lower-cased (people type their names with capitals). */
export function normaliseUsername(username: string): string {
  return username.trim().toLowerCase();
}

export const UsernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(USERNAME_MIN, `${USERNAME_LABEL}: enter at least ${USERNAME_MIN} characters.`)
  .max(USERNAME_MAX, `${USERNAME_LABEL}: shorten it to ${USERNAME_MAX} characters or fewer.`)
  .regex(
    /^[a-z0-9][a-z0-9._-]*$/,
    `${USERNAME_LABEL}: use letters, digits, dots, dashes or underscores only, starting with a letter or digit (such as baraka.mwangi).`,
  );

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;
const MIN_DISTINCT_CHARACTERS = 4;

export const PASSWORD_HINT = `At least ${PASSWORD_MIN_LENGTH} characters; a few words make a good password.`;

/** The schema every password input is parsed with; the policy itself needs the username (`passwordProblem`). */
export const PasswordInputSchema = z
  .string()
  .min(1, 'Password: enter the password.')
  .max(PASSWORD_MAX_LENGTH, `Password: use at most ${PASSWORD_MAX_LENGTH} characters.`);

/** The reason a new password is refused, in words the officer can act on, or null. */
export function passwordProblem(password: string, username: string): string | null {
  if ([...password].length < PASSWORD_MIN_LENGTH) {
    return `The password must have at least ${PASSWORD_MIN_LENGTH} characters; a few words make a good password.`;
  }
  if ([...password].length > PASSWORD_MAX_LENGTH) {
    return `The password must have at most ${PASSWORD_MAX_LENGTH} characters.`;
  }
  const name = normaliseUsername(username);
  if (name !== '' && password.toLowerCase().includes(name)) {
    return 'The password must not contain the username.';
  }
  if (new Set(password).size < MIN_DISTINCT_CHARACTERS) {
    return `The password is too simple: use at least ${MIN_DISTINCT_CHARACTERS} different characters.`;
  }
  return null;
}
