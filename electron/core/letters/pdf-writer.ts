/**
 * A small flowing-text writer on pdf-lib: headings, paragraphs and bullets wrapped to an A4 page, new pages as
 * needed. It uses the standard Helvetica fonts (nothing to ship); characters they cannot encode are transliterated.
 */
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';

const PAGE: [number, number] = [595.28, 841.89];
const MARGIN = 56;
const BODY = 10.5;
const LEADING = 1.4;

/** WinAnsi has no arrows, maths or most non-Latin letters: map the common ones, strip accents, '?' for the rest. */
export function toWinAnsi(text: string): string {
  const mapped = text
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201C\u201D]/g, '"')
    .replace(/[\u2013\u2014]/g, '-')
    .replace(/\u2265/g, '>=')
    .replace(/\u2264/g, '<=')
    .replace(/\u2192/g, '->')
    .replace(/\u00A0|\u202F/g, ' ');
  let out = '';
  for (const ch of mapped) {
    const code = ch.codePointAt(0) ?? 63;
    if ((code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff)) {
      out += ch;
    } else {
      const stripped = ch.normalize('NFD').replace(/\p{M}/gu, '');
      const first = stripped.codePointAt(0) ?? 63;
      out += stripped.length > 0 && first >= 0x20 && first <= 0xff ? stripped : '?';
    }
  }
  return out;
}

export class PdfWriter {
  readonly #doc: PDFDocument;
  readonly #regular: PDFFont;
  readonly #bold: PDFFont;
  #page: PDFPage;
  #y: number;

  private constructor(doc: PDFDocument, regular: PDFFont, bold: PDFFont) {
    this.#doc = doc;
    this.#regular = regular;
    this.#bold = bold;
    this.#page = doc.addPage(PAGE);
    this.#y = PAGE[1] - MARGIN;
  }

  static async create(title: string, language: string): Promise<PdfWriter> {
    const doc = await PDFDocument.create();
    doc.setTitle(toWinAnsi(title));
    doc.setLanguage(language);
    doc.setProducer('NEXIS Lender Workstation');
    doc.setCreator('NEXIS Lender Workstation');
    // Fixed dates keep the document free of the generating machine's clock beyond what the letter states.
    doc.setCreationDate(new Date(0));
    doc.setModificationDate(new Date(0));
    const regular = await doc.embedFont(StandardFonts.Helvetica);
    const bold = await doc.embedFont(StandardFonts.HelveticaBold);
    return new PdfWriter(doc, regular, bold);
  }

  title(text: string): void {
    this.#lines(text, this.#bold, 16, 0);
    this.space(6);
  }

  heading(text: string): void {
    this.space(8);
    this.#lines(text, this.#bold, 12, 0);
    this.space(2);
  }

  paragraph(text: string, size = BODY): void {
    this.#lines(text, this.#regular, size, 0);
    this.space(4);
  }

  bullet(text: string, size = BODY): void {
    this.#ensure(size * LEADING);
    this.#page.drawText('-', {
      x: MARGIN + 4,
      y: this.#y - size * LEADING + size * 0.3,
      size,
      font: this.#regular,
      color: rgb(0, 0, 0),
    });
    this.#lines(text, this.#regular, size, 16);
  }

  space(points: number): void {
    this.#y -= points;
  }

  async save(): Promise<{ bytes: Uint8Array; pages: number }> {
    const bytes = await this.#doc.save();
    return { bytes, pages: this.#doc.getPageCount() };
  }

  #ensure(height: number): void {
    if (this.#y - height < MARGIN) {
      this.#page = this.#doc.addPage(PAGE);
      this.#y = PAGE[1] - MARGIN;
    }
  }

  #lines(text: string, font: PDFFont, size: number, indent: number): void {
    const width = PAGE[0] - 2 * MARGIN - indent;
    for (const line of wrap(toWinAnsi(text), font, size, width)) {
      this.#ensure(size * LEADING);
      this.#y -= size * LEADING;
      this.#page.drawText(line, { x: MARGIN + indent, y: this.#y + size * 0.3, size, font, color: rgb(0, 0, 0) });
    }
  }
}

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (font.widthOfTextAtSize(candidate, size) <= width || line === '') {
      line = candidate;
    } else {
      lines.push(line);
      line = word;
    }
  }
  if (line !== '') {
    lines.push(line);
  }
  return lines.length === 0 ? [''] : lines;
}
