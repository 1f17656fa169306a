import { describe, expect, it } from 'vitest';
import { json } from './attachments';

describe('attachment bodies', () => {
  it('replace what the central database cannot store (lone surrogates, NUL), keep every well-formed character', () => {
    const body = json({
      note: 'a\uD800b',
      tail: 'x\uDC00',
      nul: 'before\u0000after',
      nested: [{ name: 'Njeri 😀 Ünïcödé' }],
      gone: undefined,
    });
    expect(body).toEqual({
      note: 'a\uFFFDb',
      tail: 'x\uFFFD',
      nul: 'before\uFFFDafter',
      nested: [{ name: 'Njeri 😀 Ünïcödé' }],
    });
    // Stored as jsonb, the body must survive the round trip PostgreSQL's text encoding makes: well-formed UTF-8.
    const text = JSON.stringify(body);
    expect(Buffer.from(text, 'utf8').toString('utf8')).toBe(text);
    expect(text).not.toContain('\\u0000');
  });
});
