import { parse as parseYaml } from 'yaml';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultFontsDir, letterFonts } from './fonts';
import { fontSlots, paragraphLevels, visualRuns } from './text-runs';

function runs(text: string, start = 0, end = text.length) {
  const { covers } = letterFonts();
  const levels = paragraphLevels(text);
  return visualRuns(text, levels, fontSlots(text, covers, levels), start, end);
}

describe('letter text runs', () => {
  it('sets Latin with diacritics in the Latin font, untouched', () => {
    expect(runs('Dear Wanjiru Ng’ang’a, Zoë Çelik')).toEqual([
      { text: 'Dear Wanjiru Ng’ang’a, Zoë Çelik', slot: 'latin' },
    ]);
  });

  it('keeps an Arabic name whole, in the Arabic font, in typed order for fontkit to shape and turn', () => {
    // The name is one right-to-left run between the left-to-right greeting and its comma.
    expect(runs('Dear فاطمة الزهراء عبد الله,')).toEqual([
      { text: 'Dear ', slot: 'latin' },
      { text: 'فاطمة الزهراء عبد الله', slot: 'arabic' },
      { text: ',', slot: 'latin' },
    ]);
  });

  it('orders two right-to-left stretches and the text between them by the bidirectional algorithm', () => {
    // "A (B) C" with Arabic A, B, C inside an English sentence reads right to left as one embedded stretch.
    const text = 'Name: زيد (علي) حسن end';
    const shown = runs(text);
    expect(shown[0]).toEqual({ text: 'Name: ', slot: 'latin' });
    expect(shown.at(-1)).toEqual({ text: ' end', slot: 'latin' });
    expect(shown.slice(1, -1).map((r) => r.text)).toEqual(['زيد (علي) حسن']);
  });

  it('reorders each wrapped line on its own', () => {
    const text = 'Dear فاطمة الزهراء';
    const firstLine = runs(text, 0, 10);
    const secondLine = runs(text, 11, text.length);
    expect(firstLine).toEqual([
      { text: 'Dear ', slot: 'latin' },
      { text: 'فاطمة', slot: 'arabic' },
    ]);
    expect(secondLine).toEqual([{ text: 'الزهراء', slot: 'arabic' }]);
  });
});

describe('letter fonts', () => {
  it('ship with their licences and are packaged inside the app archive', () => {
    const dir = defaultFontsDir();
    for (const licence of ['OFL-NotoSans.txt', 'OFL-IBMPlexSansArabic.txt']) {
      expect(readFileSync(join(dir, licence), 'utf8')).toContain('SIL Open Font License, Version 1.1');
    }
    const builder = parseYaml(readFileSync(join(dir, '../../electron-builder.yml'), 'utf8')) as { files: string[] };
    expect(builder.files).toContain('resources/fonts/**');
    const fonts = letterFonts();
    for (const ch of ['ë', 'Ç', '’', 'ŋ', 'ễ']) {
      expect(fonts.covers('latin', ch.codePointAt(0) ?? 0), ch).toBe(true);
    }
    for (const ch of ['ف', 'ز', 'ي', '،']) {
      expect(fonts.covers('arabic', ch.codePointAt(0) ?? 0), ch).toBe(true);
    }
  });
});
