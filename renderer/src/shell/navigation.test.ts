import { describe, expect, it } from 'vitest';
import { landingFor, navItemsFor } from './navigation';

describe('landing screen', () => {
  it('puts officers and supervisors on the applicant queue, auditors on the audit trail, admins on Status', () => {
    expect(landingFor('officer')).toBe('applicants');
    expect(landingFor('supervisor')).toBe('applicants');
    expect(landingFor('auditor')).toBe('audit');
    expect(landingFor('admin')).toBe('status');
  });

  it('is always a screen the role can open', () => {
    for (const role of ['officer', 'supervisor', 'auditor', 'admin'] as const) {
      expect(navItemsFor(role).map((item) => item.id)).toContain(landingFor(role));
    }
  });
});
