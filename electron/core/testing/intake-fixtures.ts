/** Test data for intake: an organisation, a person and a consent against the current notice. */
import type { ConsentInput, PersonalData } from '../../../shared/ipc/applicants';
import type { Organisation } from '../../../shared/ipc/system';
import type { Workstation } from '../workstation';
import { ADMIN, type TempWorkstation } from './temp-workstation';

export const ORGANISATION: Organisation = {
  controllerName: 'Umoja Community Bank Ltd',
  contactEmail: 'dpo@umoja-bank.example',
  contactPhone: '+254 20 123 4567',
  address: 'Moi Avenue 12, Nairobi',
  jurisdiction: 'KE',
  policyUrl: 'https://umoja-bank.example/privacy',
};

export const PERSON: PersonalData = {
  fullName: 'Wanjiru Kamau Njeri',
  phone: '+254 712 345 678',
  email: 'wanjiru@example.com',
  nationalId: '28765432',
  address: 'Kenyatta Road 4, Thika',
  dateOfBirth: '1991-04-12',
};

/** A complete, valid set of behavioural values for the NEXIS specification. */
export const FORM_VALUES = {
  mobileMoneyInflowAvg: 25_000,
  inflowVolatility: 0.3,
  mobileMoneyHistoryMonths: 36,
  utilityBillsOnTime12m: 11,
  rentOnTime12m: 12,
  airtimeTopupsPerMonth: 6,
  savingsBalanceAvg: 8_000,
  savingsRate: 0.08,
  debtToIncome: 0.2,
  activeLoans: 1,
  worstDaysPastDue12m: 0,
  employmentTenureMonths: 48,
  requestedAmount: 50_000,
  termMonths: 12,
} as const;

export function consentFor(
  ws: Workstation,
  grants: Partial<ConsentInput['grants']> = {},
  language: 'en' | 'sw' = 'en',
): ConsentInput {
  const notice = ws.consent.notices.current(language);
  return {
    language,
    noticeVersion: notice.version,
    noticeSha256: notice.sha256,
    grants: { 'credit-scoring': true, 'central-sync': false, 'credit-bureau-sharing': false, ...grants },
    retentionMonths: 24,
  };
}

/** Admin set-up, organisation configured, and a signed-in officer on connection `officer`. */
export async function intakeReady(t: TempWorkstation): Promise<void> {
  await t.call('admin', 'auth:setup', ADMIN);
  await t.call('admin', 'system:updateOrganisation', ORGANISATION);
  await t.call('admin', 'officers:create', {
    username: 'otieno.officer',
    displayName: 'Otieno',
    role: 'officer',
    password: 'temporary pass 123',
  });
  await t.call('officer', 'auth:signIn', { username: 'otieno.officer', password: 'temporary pass 123' });
  const changed = await t.call('officer', 'auth:changePassword', {
    currentPassword: 'temporary pass 123',
    newPassword: 'officer secret 456',
  });
  if (!changed.ok) {
    throw new Error(changed.error.message);
  }
}
