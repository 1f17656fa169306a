import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONSENT_LANGUAGES } from '../../../shared/domain/consent';
import { CURRENT_NOTICE_VERSION, defaultNoticesDir, NoticeLibrary } from './notices';

/** SHA-256 of every published notice: receipts name these, so the files must never change. */
const PUBLISHED: Record<string, string> = {
  'consent-notice.v1.en.md': '7cb7c9c3ce64969185bf54b23a9a3841d9a934106818cea468f0405a3e1a2ae4',
  'consent-notice.v1.sw.md': 'c05cdb8735353d5af7bc84d953f71147b379fd605ee3c226a4f7ec353978183f',
  'consent-notice.v2.en.md': '240393a2736681a27ca52d3de23bb016ecdefec347bf09f7db4f3fe15b4a5206',
  'consent-notice.v2.sw.md': 'e7c14fce8eda068cf5f290195d05a45bf51d9aafba337826e73dbe74cb650b49',
};

describe('consent notices', () => {
  const dir = defaultNoticesDir();

  it('keeps every published notice byte for byte, so old receipts still name a shipped text', () => {
    const files = readdirSync(dir).filter((name) => name.startsWith('consent-notice.'));
    expect(files.sort()).toEqual(Object.keys(PUBLISHED).sort());
    for (const [file, sha256] of Object.entries(PUBLISHED)) {
      expect(
        createHash('sha256')
          .update(readFileSync(join(dir, file)))
          .digest('hex'),
        file,
      ).toBe(sha256);
    }
  });

  it('shows the current version in every language, with its version in the text', () => {
    const library = new NoticeLibrary(dir);
    for (const language of CONSENT_LANGUAGES) {
      const notice = library.current(language);
      expect(notice.version).toBe(CURRENT_NOTICE_VERSION);
      expect(notice.sha256).toBe(PUBLISHED[`consent-notice.v${CURRENT_NOTICE_VERSION}.${language}.md`]);
      expect(notice.text).toMatch(language === 'sw' ? /^Toleo la 2 — /m : /^Version 2 — /m);
    }
  });

  it('tells the applicant nothing about the translation still needing a review', () => {
    const text = new NoticeLibrary(dir).current('sw').text;
    expect(text).not.toMatch(/tafsiri|kuhakikiwa|mzungumzaji wa asili/i);
    expect(text).not.toMatch(/translation|review by a native/i);
  });
});
