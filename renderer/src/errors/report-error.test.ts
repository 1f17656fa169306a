import { describe, expect, it } from 'vitest';
import { errorNameOf, firstFrameLocation } from './report-error';

function withStack(error: Error, stack: string): Error {
  Object.defineProperty(error, 'stack', { value: stack });
  return error;
}

describe('firstFrameLocation', () => {
  it('keeps only the file name, line and column of the first V8 frame', () => {
    const error = withStack(
      new TypeError('x is undefined'),
      [
        'TypeError: x is undefined',
        '    at ApplicantList (http://127.0.0.1:5174/assets/applicants-CNmfUkHu.js:1:2345)',
        '    at renderWithHooks (http://127.0.0.1:5174/assets/index-BNuLCSFh.js:9:100)',
      ].join('\n'),
    );
    expect(firstFrameLocation(error)).toBe('applicants-CNmfUkHu.js:1:2345');
  });

  it('drops the folders of a file:// path (they can name the Windows account) and a query', () => {
    const error = withStack(
      new Error('boom'),
      'Error: boom\n    at file:///C:/Users/amina.wanjiru/AppData/Local/nexis/resources/app.asar/out/renderer/assets/audit-1.js?v=2:3:4',
    );
    expect(firstFrameLocation(error)).toBe('audit-1.js:3:4');
  });

  it('reads Firefox and Safari stacks (fn@url:line:col)', () => {
    const error = withStack(
      new Error('boom'),
      'ReviewPanel@app://nexis/assets/review-9.js:12:34\n@app://nexis/x.js:1:1',
    );
    expect(firstFrameLocation(error)).toBe('review-9.js:12:34');
  });

  it('never reads a line of a multi-line message as a frame', () => {
    const message = 'bad row\n    at Amina Wanjiru (0712345678:1:2)';
    const error = withStack(new Error(message), `Error: ${message}\n    at parse (http://h/assets/batch-2.js:5:6)`);
    expect(firstFrameLocation(error)).toBe('batch-2.js:5:6');
  });

  it('is empty without a frame or without an Error', () => {
    expect(firstFrameLocation(withStack(new TypeError('Failed to fetch'), 'TypeError: Failed to fetch'))).toBe('');
    expect(firstFrameLocation('a string')).toBe('');
  });
});

describe('errorNameOf', () => {
  it('gives the class name, and a neutral one for names that are not identifiers or non-errors', () => {
    expect(errorNameOf(new RangeError('x'))).toBe('RangeError');
    const odd = new Error('x');
    odd.name = 'Amina Wanjiru 0712';
    expect(errorNameOf(odd)).toBe('Error');
    expect(errorNameOf('thrown string')).toBe('NotAnError');
  });
});
