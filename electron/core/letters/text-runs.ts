/**
 * Turns one line of a letter (logical order, as typed) into runs to draw left to right, each in one font.
 *
 * pdf-lib draws a string as the glyphs fontkit lays out for it: fontkit shapes Arabic (joining forms, ligatures) and
 * reverses a run whose script is right-to-left, but it neither reorders mixed-direction text (the Unicode
 * Bidirectional Algorithm) nor falls back to a second font. bidi-js resolves the levels and the visual order; this
 * module only cuts the line where the font or the level changes and hands each piece to fontkit in the order it
 * expects. The fonts are chosen per character: Arabic letters from the Arabic font, everything else from the Latin
 * font when it has the glyph (Noto Sans covers Latin with diacritics, Greek and Cyrillic), else from any font that has.
 */
import bidiFactory, { type EmbeddingLevels } from 'bidi-js';

export type FontSlot = 'latin' | 'arabic';

/** Which fonts have a glyph for a code point. */
export type Coverage = (slot: FontSlot, codePoint: number) => boolean;

export interface VisualRun {
  /** What to pass to pdf-lib's drawText for this run. */
  readonly text: string;
  readonly slot: FontSlot;
}

const bidi = bidiFactory();
const ARABIC_LETTER = /\p{Script=Arabic}/u;
/** The scripts fontkit lays out right-to-left itself (its RTL table; the ones a name is written in here). */
const RTL_SCRIPT = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/u;
const MARK = /\p{M}/u;

/**
 * The font of each UTF-16 unit of `text` (a surrogate pair's second unit takes the first's). Spaces and punctuation
 * inside right-to-left text (an odd level) stay in the Arabic font, so a whole Arabic name is one run that fontkit
 * lays out, and a text extractor reads back, in one piece.
 */
export function fontSlots(text: string, covers: Coverage, levels?: EmbeddingLevels): FontSlot[] {
  const slots: FontSlot[] = [];
  let previous: FontSlot = 'latin';
  let index = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    const rtl = (levels?.levels[index] ?? 0) % 2 === 1;
    index += ch.length;
    let slot: FontSlot;
    if ((ARABIC_LETTER.test(ch) || rtl) && covers('arabic', cp)) {
      slot = 'arabic';
    } else if (MARK.test(ch) && covers(previous, cp)) {
      // A combining mark belongs with its base letter, whose font positions it.
      slot = previous;
    } else if (covers('latin', cp)) {
      slot = 'latin';
    } else if (covers('arabic', cp)) {
      slot = 'arabic';
    } else {
      slot = 'latin';
    }
    for (let i = 0; i < ch.length; i += 1) {
      slots.push(slot);
    }
    previous = slot;
  }
  return slots;
}

/** Resolved levels of a paragraph (letters are left-to-right documents; a name may be right-to-left inside them). */
export function paragraphLevels(text: string): EmbeddingLevels {
  return bidi.getEmbeddingLevels(text, 'ltr');
}

/**
 * The runs of `paragraph[start, end)` in visual order. `levels` and `slots` are those of the whole paragraph, so the
 * algorithm sees the paragraph and the line is reordered on its own (UAX #9, rule L2 applies per line).
 */
export function visualRuns(
  paragraph: string,
  levels: EmbeddingLevels,
  slots: readonly FontSlot[],
  start: number,
  end: number,
): VisualRun[] {
  if (end <= start) {
    return [];
  }
  // bidi-js returns the indices of the whole paragraph with this line's segments reversed in place.
  const order = bidi.getReorderedIndices(paragraph, levels, start, end - 1).slice(start, end);
  const mirrored = bidi.getMirroredCharactersMap(paragraph, levels.levels, start, end - 1);
  const runs: VisualRun[] = [];
  let group: number[] = [];
  const flush = (): void => {
    const first = group[0];
    if (first === undefined) {
      return;
    }
    const slot = slots[first] ?? 'latin';
    const rtl = (levels.levels[first] ?? 0) % 2 === 1;
    const visual = group.map((i) => mirrored.get(i) ?? paragraph.charAt(i)).join('');
    if (rtl && RTL_SCRIPT.test(visual)) {
      // fontkit shapes in logical order and reverses right-to-left scripts itself: give it the typed order back.
      const logical = [...group].sort((a, b) => a - b);
      runs.push({ text: logical.map((i) => paragraph.charAt(i)).join(''), slot });
    } else {
      // Left-to-right text, or neutrals (spaces, brackets) inside a right-to-left run, which fontkit leaves as given.
      runs.push({ text: visual, slot });
    }
    group = [];
  };
  for (const index of order) {
    const last = group[group.length - 1];
    if (last !== undefined && (slots[last] !== slots[index] || levels.levels[last] !== levels.levels[index])) {
      flush();
    }
    group.push(index);
  }
  flush();
  return runs;
}
