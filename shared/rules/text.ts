/** Small text helpers the rules share: case and accent folding, and splitting a text into the words a person sees. */

/** Lower-case, accents removed: "Njéri" and "njeri" are the same token. */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

export interface Word {
  readonly text: string;
  /** 1-based position among the words, as a person would count them. */
  readonly position: number;
  readonly start: number;
  readonly end: number;
}

/** Whitespace-separated words with their positions. */
export function wordsOf(text: string): Word[] {
  const out: Word[] = [];
  for (const match of text.matchAll(/\S+/g)) {
    out.push({ text: match[0], position: out.length + 1, start: match.index, end: match.index + match[0].length });
  }
  return out;
}

/** "a", "a and b", "a, b and c": for messages that list what to change. */
export function listInWords(items: readonly string[]): string {
  if (items.length <= 1) {
    return items.join('');
  }
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1) ?? ''}`;
}
