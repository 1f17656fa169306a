/**
 * Consent notice texts are versioned files (resources/notices/consent-notice.v<N>.<lang>.md). The receipt records the
 * version and the SHA-256 of the exact bytes shown, so it proves which text the applicant saw.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConsentLanguage } from '../../../shared/domain/consent';
import type { ConsentNotice } from '../../../shared/ipc/applicants';
import { NexisError } from '../errors';

/**
 * The version shown to new applicants. A published notice file is never edited: a changed text is a new version in
 * every language, and the earlier files stay, so each receipt's version and SHA-256 still name a shipped text
 * (v2 dropped a translator's note from the Kiswahili text; see resources/notices/README.md).
 */
export const CURRENT_NOTICE_VERSION = '2';

export function defaultNoticesDir(): string {
  return fileURLToPath(new URL('../../../resources/notices', import.meta.url));
}

export class NoticeLibrary {
  readonly #dir: string;
  readonly #cache = new Map<ConsentLanguage, ConsentNotice>();

  constructor(dir: string) {
    this.#dir = dir;
  }

  current(language: ConsentLanguage): ConsentNotice {
    let notice = this.#cache.get(language);
    if (notice === undefined) {
      const file = join(this.#dir, `consent-notice.v${CURRENT_NOTICE_VERSION}.${language}.md`);
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch (error) {
        throw new NexisError('IO_ERROR', `The consent notice for "${language}" is missing from this installation.`, {
          cause: error,
        });
      }
      notice = {
        version: CURRENT_NOTICE_VERSION,
        language,
        text: bytes.toString('utf8'),
        sha256: createHash('sha256').update(bytes).digest('hex'),
      };
      this.#cache.set(language, notice);
    }
    return notice;
  }
}
