/**
 * A small flowing-text writer on pdf-lib for A4 letters: a letterhead, headings, paragraphs and bullets. Blocks are
 * collected first and laid out on save(), so the writer knows which fonts a letter needs (only those are embedded, as
 * subsets) and can set a letter a little tighter to keep it on one page; longer ones flow onto further pages.
 *
 * Text is set in Noto Sans and IBM Plex Sans Arabic (see fonts.ts): every character is drawn as typed (NFC), Arabic
 * shaped by fontkit and placed right-to-left by the bidirectional algorithm (see text-runs.ts).
 */
import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { letterFonts, pdfFontkit, type FontWeight, type LetterFonts } from './fonts';
import { fontSlots, paragraphLevels, visualRuns, type Coverage, type FontSlot } from './text-runs';

const PAGE: [number, number] = [595.28, 841.89];
const MARGIN = 56;
const BODY = 10.5;
const LEADING = 1.4;
/** Tighter settings tried in turn when a letter would not fit on one page. */
const SCALES = [1, 0.94, 0.88] as const;
const INK = rgb(0.08, 0.09, 0.11);
const MUTED = rgb(0.32, 0.34, 0.38);

type Block =
  | { kind: 'letterhead'; name: string; detail: string }
  | { kind: 'text'; text: string; weight: FontWeight; size: number; before: number; after: number; indent: number }
  | { kind: 'bullet'; text: string; size: number }
  | { kind: 'space'; points: number };

type Fonts = Record<FontSlot, Record<FontWeight, PDFFont | undefined>>;

interface Cursor {
  page: PDFPage | null;
  y: number;
  pages: number;
}

export class PdfWriter {
  readonly #title: string;
  readonly #language: string;
  readonly #fonts: LetterFonts;
  readonly #blocks: Block[] = [];

  private constructor(title: string, language: string, fonts: LetterFonts) {
    this.#title = title;
    this.#language = language;
    this.#fonts = fonts;
  }

  static create(title: string, language: string, fonts: LetterFonts = letterFonts()): PdfWriter {
    return new PdfWriter(title, language, fonts);
  }

  /** The sender's name in large type and its contact line, above a rule. */
  letterhead(name: string, detail: string): void {
    this.#blocks.push({ kind: 'letterhead', name, detail });
  }

  title(text: string): void {
    this.#blocks.push({ kind: 'text', text, weight: 'bold', size: 15, before: 4, after: 6, indent: 0 });
  }

  heading(text: string): void {
    this.#blocks.push({ kind: 'text', text, weight: 'bold', size: 11.5, before: 8, after: 2, indent: 0 });
  }

  paragraph(text: string, size = BODY): void {
    this.#blocks.push({ kind: 'text', text, weight: 'regular', size, before: 0, after: 4, indent: 0 });
  }

  bullet(text: string, size = BODY): void {
    this.#blocks.push({ kind: 'bullet', text, size });
  }

  space(points: number): void {
    this.#blocks.push({ kind: 'space', points });
  }

  async save(): Promise<{ bytes: Uint8Array; pages: number }> {
    const doc = await PDFDocument.create();
    doc.registerFontkit(pdfFontkit);
    doc.setTitle(this.#title);
    doc.setLanguage(this.#language);
    doc.setProducer('NEXIS Lender Workstation');
    doc.setCreator('NEXIS Lender Workstation');
    // Fixed dates keep the document free of the generating machine's clock beyond what the letter states.
    doc.setCreationDate(new Date(0));
    doc.setModificationDate(new Date(0));
    const fonts = await this.#embed(doc);
    // Measure first (no page), then draw with the first scale that fits one page, else at full size over several.
    const scale = SCALES.find((s) => this.#render(fonts, s, { page: null, y: PAGE[1] - MARGIN, pages: 1 }) === 1);
    const cursor: Cursor = { page: doc.addPage(PAGE), y: PAGE[1] - MARGIN, pages: 1 };
    const newPage = (): PDFPage => doc.addPage(PAGE);
    this.#render(fonts, scale ?? 1, cursor, newPage);
    const bytes = await doc.save();
    return { bytes, pages: doc.getPageCount() };
  }

  /** Embeds, as subsets, only the faces some block needs. */
  async #embed(doc: PDFDocument): Promise<Fonts> {
    const needed = new Set<string>();
    for (const block of this.#blocks) {
      const parts: [string, FontWeight][] =
        block.kind === 'letterhead'
          ? [
              [block.name, 'bold'],
              [block.detail, 'regular'],
            ]
          : block.kind === 'text'
            ? [[block.text, block.weight]]
            : block.kind === 'bullet'
              ? [[`- ${block.text}`, 'regular']]
              : [];
      for (const [text, weight] of parts) {
        const normal = text.normalize('NFC');
        for (const slot of new Set(fontSlots(normal, this.#fonts.covers, paragraphLevels(normal)))) {
          needed.add(`${slot}:${weight}`);
        }
      }
    }
    const fonts: Fonts = {
      latin: { regular: undefined, bold: undefined },
      arabic: { regular: undefined, bold: undefined },
    };
    for (const slot of ['latin', 'arabic'] as const) {
      for (const weight of ['regular', 'bold'] as const) {
        if (needed.has(`${slot}:${weight}`)) {
          fonts[slot][weight] = await doc.embedFont(this.#fonts.bytes[slot][weight], { subset: true });
        }
      }
    }
    return fonts;
  }

  /** Lays the blocks out; draws when the cursor has a page. Returns the number of pages used. */
  #render(fonts: Fonts, scale: number, cursor: Cursor, newPage?: () => PDFPage): number {
    const ensure = (height: number): void => {
      if (cursor.y - height < MARGIN) {
        cursor.pages += 1;
        cursor.y = PAGE[1] - MARGIN;
        if (newPage !== undefined) {
          cursor.page = newPage();
        }
      }
    };
    const write = (text: string, weight: FontWeight, size: number, indent: number, color = INK): void => {
      const setter = new LineSetter(text, fonts, this.#fonts.covers, weight, size);
      for (const [start, end] of setter.lines(PAGE[0] - 2 * MARGIN - indent)) {
        ensure(size * LEADING);
        cursor.y -= size * LEADING;
        if (cursor.page !== null) {
          setter.draw(cursor.page, start, end, MARGIN + indent, cursor.y + size * 0.3, color);
        }
      }
    };
    for (const block of this.#blocks) {
      switch (block.kind) {
        case 'letterhead':
          write(block.name, 'bold', 14 * scale, 0);
          write(block.detail, 'regular', 8.5 * scale, 0, MUTED);
          cursor.y -= 6 * scale;
          cursor.page?.drawLine({
            start: { x: MARGIN, y: cursor.y },
            end: { x: PAGE[0] - MARGIN, y: cursor.y },
            thickness: 0.6,
            color: MUTED,
          });
          cursor.y -= 12 * scale;
          break;
        case 'text':
          cursor.y -= block.before * scale;
          write(block.text, block.weight, block.size * scale, block.indent);
          cursor.y -= block.after * scale;
          break;
        case 'bullet': {
          const size = block.size * scale;
          ensure(size * LEADING);
          new LineSetter('-', fonts, this.#fonts.covers, 'regular', size).draw(
            cursor.page,
            0,
            1,
            MARGIN + 4,
            cursor.y - size * LEADING + size * 0.3,
            INK,
          );
          write(block.text, 'regular', size, 16);
          cursor.y -= 1.5 * scale;
          break;
        }
        case 'space':
          cursor.y -= block.points * scale;
          break;
      }
    }
    return cursor.pages;
  }
}

/** One paragraph in one weight and size: wraps it into lines and draws a line as font runs in visual order. */
class LineSetter {
  readonly #text: string;
  readonly #levels: ReturnType<typeof paragraphLevels>;
  readonly #slots: FontSlot[];
  readonly #fonts: Fonts;
  readonly #weight: FontWeight;
  readonly #size: number;

  constructor(text: string, fonts: Fonts, covers: Coverage, weight: FontWeight, size: number) {
    this.#text = text.normalize('NFC');
    this.#levels = paragraphLevels(this.#text);
    // The same choice #embed made when it scanned this text, so every slot used has an embedded face.
    this.#slots = fontSlots(this.#text, covers, this.#levels);
    this.#fonts = fonts;
    this.#weight = weight;
    this.#size = size;
  }

  /** [start, end) of each line, broken at spaces; a word longer than the width has a line to itself. */
  lines(width: number): [number, number][] {
    const words = [...this.#text.matchAll(/\S+/g)].map((m): [number, number] => [m.index, m.index + m[0].length]);
    const lines: [number, number][] = [];
    let current: [number, number] | null = null;
    for (const [start, end] of words) {
      if (current === null) {
        current = [start, end];
      } else if (this.#width(current[0], end) <= width) {
        current[1] = end;
      } else {
        lines.push(current);
        current = [start, end];
      }
    }
    if (current !== null) {
      lines.push(current);
    }
    return lines.length === 0 ? [[0, 0]] : lines;
  }

  draw(page: PDFPage | null, start: number, end: number, x: number, y: number, color: ReturnType<typeof rgb>): void {
    let left = x;
    for (const run of visualRuns(this.#text, this.#levels, this.#slots, start, end)) {
      const font = this.#font(run.slot);
      page?.drawText(run.text, { x: left, y, size: this.#size, font, color });
      left += font.widthOfTextAtSize(run.text, this.#size);
    }
  }

  #width(start: number, end: number): number {
    let width = 0;
    let from = start;
    for (let i = start + 1; i <= end; i += 1) {
      if (i === end || this.#slots[i] !== this.#slots[from]) {
        width += this.#font(this.#slots[from] ?? 'latin').widthOfTextAtSize(this.#text.slice(from, i), this.#size);
        from = i;
      }
    }
    return width;
  }

  #font(slot: FontSlot): PDFFont {
    const font = this.#fonts[slot][this.#weight] ?? this.#fonts.latin[this.#weight] ?? this.#fonts.latin.regular;
    if (font === undefined) {
      throw new Error('No font was embedded for the letter text.');
    }
    return font;
  }
}
