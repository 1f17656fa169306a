import { describe, expect, it } from 'vitest';
import type { AuditPayload } from './canonical';
import { AuditChainError } from './errors';
import { assertPseudonymousActor, assertPseudonymousPayload } from './privacy';

function codeOf(work: () => void): string | undefined {
  try {
    work();
    return undefined;
  } catch (error) {
    return error instanceof AuditChainError ? error.code : 'not an AuditChainError';
  }
}

describe('pseudonymous payload guard', () => {
  it('refuses personal and secret field names at any depth and in any spelling', () => {
    const payloads: AuditPayload[] = [
      { username: 'alice' },
      { name: 'A B' },
      { full_name: 'A B' },
      { nested: [{ Email: 'a@b.c' }] },
      { change: { newPassword: 'x' } },
    ];
    for (const payload of payloads) {
      expect(codeOf(() => assertPseudonymousPayload('x.y', payload))).toBe('PERSONAL_FIELD');
    }
    expect(() => assertPseudonymousPayload('admin.created', { username: 'alice' })).toThrow(
      'Audit entry "admin.created" must not carry the personal field "username".',
    );
  });

  it('accepts ids, codes and counts', () => {
    expect(
      codeOf(() =>
        assertPseudonymousPayload('x.y', { roles: ['auditor'], failures: 2, adminId: 'ADM-0123456789ABCDEF' }),
      ),
    ).toBeUndefined();
  });
});

describe('pseudonymous actor guard', () => {
  it('accepts pseudonymous ids and the named actors', () => {
    for (const actor of [
      'ADM-0123456789ABCDEF',
      'DEV-0123456789ABCDEF',
      'OFF-0A1B',
      'system',
      'anonymous',
      'bootstrap',
    ]) {
      expect(codeOf(() => assertPseudonymousActor('x.y', actor))).toBeUndefined();
    }
  });

  it('refuses anything that could be a username', () => {
    for (const actor of ['alice', 'alice.admin', 'adm-0123456789abcdef', 'System', '', 'ADM-', 'ADM-0123 ']) {
      expect(codeOf(() => assertPseudonymousActor('x.y', actor))).toBe('NOT_PSEUDONYMOUS');
    }
  });
});
