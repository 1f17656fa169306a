/**
 * The override note: the officer's short reason for departing from the policy. It is stored with the decision and
 * synced, so it names facts, never people: no e-mail address, no long digit run (phone, id or account number), no
 * part of the applicant's name. One rule for the decision form, the referral review and the core.
 *
 * Two message forms: the core's names the offending words by position only, because its error messages reach the
 * log; the form quotes the words themselves (the officer's own text, on their own screen).
 */
import { OVERRIDE_NOTE_MAX } from '../domain/decisions';
import { fold, listInWords, wordsOf } from './text';

export { OVERRIDE_NOTE_MAX };

/** The label the forms give the field; messages name it so. */
export const OVERRIDE_NOTE_LABEL = 'Override note';

export type NoteFindingKind = 'email' | 'number' | 'name';

export interface NoteFinding {
  readonly kind: NoteFindingKind;
  /** The words (1-based positions) that carry it. */
  readonly positions: readonly number[];
  /** The text as typed; never put into a message that may be logged. */
  readonly text: string;
}

const KIND_TEXT: Record<NoteFindingKind, string> = {
  email: 'an e-mail address',
  number: 'a phone, id or account number',
  name: "part of the applicant's name",
};

/** The parts of a full name worth matching (three letters or more). */
export function nameTokensOf(fullName: string | undefined): string[] {
  return fold(fullName ?? '')
    .split(/[^a-z]+/)
    .filter((t) => t.length >= 3);
}

function positionsBetween(note: string, start: number, end: number): number[] {
  return wordsOf(note)
    .filter((w) => w.start < end && w.end > start)
    .map((w) => w.position);
}

/** Everything in the note that looks like personal data, in the order it appears. */
export function findPersonalData(note: string, nameTokens: readonly string[]): NoteFinding[] {
  const findings: NoteFinding[] = [];
  for (const word of wordsOf(note)) {
    if (word.text.includes('@')) {
      findings.push({ kind: 'email', positions: [word.position], text: word.text });
    }
  }
  // Six or more characters of digits, possibly grouped by spaces or dashes: phone numbers, national ids, account numbers.
  for (const match of note.matchAll(/\d[\d\s-]{4,}\d/g)) {
    const end = match.index + match[0].length;
    findings.push({ kind: 'number', positions: positionsBetween(note, match.index, end), text: match[0] });
  }
  const tokens = new Set(nameTokens.map(fold));
  for (const word of wordsOf(note)) {
    const parts = fold(word.text).split(/[^a-z]+/);
    if (parts.some((part) => tokens.has(part))) {
      findings.push({ kind: 'name', positions: [word.position], text: word.text });
    }
  }
  return findings.sort((a, b) => (a.positions[0] ?? 0) - (b.positions[0] ?? 0));
}

function positionText(positions: readonly number[]): string {
  return positions.length === 1 ? `word ${positions[0] ?? ''}` : `words ${listInWords(positions.map(String))}`;
}

export interface NoteMessageOptions {
  /** Quote the words as typed (screen only); otherwise name them by position (safe to log). */
  readonly quote: boolean;
  /** The field as its form labels it (a supervisor's review reason follows the same rule) @default 'Override note' */
  readonly label?: string;
}

/** The problem with a note in plain language, or null when it may be stored. */
export function overrideNoteProblem(
  note: string,
  nameTokens: readonly string[],
  options: NoteMessageOptions,
): string | null {
  const trimmed = note.trim();
  const label = options.label ?? OVERRIDE_NOTE_LABEL;
  if (trimmed.length > OVERRIDE_NOTE_MAX) {
    return `${label}: shorten it to ${OVERRIDE_NOTE_MAX} characters or fewer (it has ${trimmed.length}).`;
  }
  const findings = findPersonalData(trimmed, nameTokens);
  if (findings.length === 0) {
    return null;
  }
  const parts = findings.map((f) =>
    options.quote ? `“${f.text}” (${KIND_TEXT[f.kind]})` : `${positionText(f.positions)} (${KIND_TEXT[f.kind]})`,
  );
  return `${label}: take out the personal data: ${listInWords(parts)}. Describe the facts of the application without names, phone, id or account numbers or e-mail addresses.`;
}

/**
 * The core's message names words by position ("word 3 (part of the applicant's name)"); on screen, where the note
 * is at hand, the words themselves are quoted: “Wanjiru” (part of the applicant's name).
 */
export function quoteNoteWords(message: string, note: string): string {
  if (!/^[^:]+: take out the personal data/.test(message)) {
    return message;
  }
  const words = wordsOf(note.trim());
  return message.replace(/\bwords? ((?:\d+(?:, | and )?)+) \(/g, (whole, list: string) => {
    const positions = list.split(/, | and /).map(Number);
    const quoted = positions.map((p) => words[p - 1]?.text);
    return quoted.every((q) => q !== undefined) ? `“${quoted.join(' ')}” (` : whole;
  });
}

/** Said when the override reason is "other" and there is no note. */
export const OVERRIDE_NOTE_REQUIRED = `${OVERRIDE_NOTE_LABEL}: explain the override in a short note (no names, phone or id numbers).`;
