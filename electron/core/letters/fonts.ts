/**
 * The fonts letters are set in: Noto Sans (Latin with diacritics, Greek, Cyrillic) and IBM Plex Sans Arabic, regular
 * and bold, shipped under the SIL Open Font License in resources/fonts (packaged: the app's resources folder, like
 * the consent notices). The standard PDF fonts cover only Western European Latin, which turned names into "????".
 *
 * IBM Plex Sans Arabic rather than Noto: Noto's Arabic fonts shape with dotless letter bodies plus separate dots, so
 * one glyph stands for several letters (ر and ز, ب and ي) and a PDF's glyph-to-text map cannot give the name back to
 * a text extractor or screen reader; Plex has a glyph per letter form.
 */
import * as fontkit from 'fontkit';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { PDFDocument } from 'pdf-lib';
import { NexisError } from '../errors';
import type { Coverage, FontSlot } from './text-runs';

/** pdf-lib's fontkit interface (not exported by name). */
type Fontkit = Parameters<PDFDocument['registerFontkit']>[0];

export type FontWeight = 'regular' | 'bold';

const FILES: Record<FontSlot, Record<FontWeight, string>> = {
  latin: { regular: 'NotoSans-Regular.ttf', bold: 'NotoSans-Bold.ttf' },
  arabic: { regular: 'IBMPlexSansArabic-Regular.ttf', bold: 'IBMPlexSansArabic-Bold.ttf' },
};

export interface LetterFonts {
  /** TrueType bytes to embed (pdf-lib subsets them to the glyphs a letter uses). */
  readonly bytes: Record<FontSlot, Record<FontWeight, Uint8Array>>;
  readonly covers: Coverage;
}

export function defaultFontsDir(): string {
  return fileURLToPath(new URL('../../../resources/fonts', import.meta.url));
}

const cache = new Map<string, LetterFonts>();

/** Reads the fonts once per folder; a missing font is an installation fault named as such. */
export function letterFonts(dir: string = defaultFontsDir()): LetterFonts {
  const cached = cache.get(dir);
  if (cached !== undefined) {
    return cached;
  }
  const read = (file: string): Uint8Array => {
    try {
      return readFileSync(join(dir, file));
    } catch (error) {
      throw new NexisError('IO_ERROR', `The letter font ${file} is missing from this installation.`, { cause: error });
    }
  };
  const bytes: LetterFonts['bytes'] = {
    latin: { regular: read(FILES.latin.regular), bold: read(FILES.latin.bold) },
    arabic: { regular: read(FILES.arabic.regular), bold: read(FILES.arabic.bold) },
  };
  // Coverage is the same for both weights of a family; the regular cuts answer it.
  const faces = { latin: face(bytes.latin.regular), arabic: face(bytes.arabic.regular) };
  const fonts: LetterFonts = {
    bytes,
    covers: (slot, codePoint) => faces[slot].hasGlyphForCodePoint(codePoint),
  };
  cache.set(dir, fonts);
  return fonts;
}

function face(bytes: Uint8Array): fontkit.Font {
  const font = fontkit.create(Buffer.from(bytes));
  if (!('layout' in font)) {
    throw new NexisError('IO_ERROR', 'A letter font is a font collection, not a single font.');
  }
  return font;
}

/**
 * Upstream fontkit for pdf-lib. pdf-lib's own fork (@pdf-lib/fontkit) writes TrueType subsets whose glyph index is
 * off by a byte after an odd-length glyph, so most letters vanish; upstream fixed that long ago but its subsets
 * encode to bytes rather than the stream pdf-lib reads, which this adapter supplies.
 */
export const pdfFontkit: Fontkit = {
  create(data: Uint8Array) {
    const font = face(data);
    const createSubset = font.createSubset.bind(font);
    const adapted = Object.assign(font, {
      createSubset: () => {
        const subset = createSubset();
        return Object.assign(subset, { encodeStream: () => Readable.from([subset.encode()]) });
      },
    });
    // The two libraries type the same object independently (pdf-lib's declarations mirror fontkit 1's API, which
    // fontkit 2 keeps); the subset stream is the one difference, added above.
    return adapted as unknown as ReturnType<Fontkit['create']>;
  },
};
