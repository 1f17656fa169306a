/**
 * Page model of the applicant screens (registration with consent, receipt, behavioural data, review) for the
 * end-to-end tests, found by roles and labels as an officer would find them.
 */
import { expect, type Locator, type Page } from '@playwright/test';
import type { WorkstationPage, Account } from './workstation-page';

export const ORGANISATION = {
  controllerName: 'Umoja Community Bank Ltd',
  contactEmail: 'dpo@umoja-bank.example',
  contactPhone: '+254 20 123 4567',
  address: 'Moi Avenue 12, Nairobi',
  jurisdiction: 'KE',
  policyUrl: 'https://umoja-bank.example/privacy',
} as const;

export interface Person {
  readonly fullName: string;
  readonly phone: string;
  readonly email?: string;
  readonly nationalId: string;
  readonly dateOfBirth: string;
}

export const PERSON: Person = {
  fullName: 'Wanjiru Kamau Njeri',
  phone: '+254 712 345 678',
  email: 'wanjiru@example.com',
  nationalId: '28765432',
  dateOfBirth: '1991-04-12',
};

/** A complete set of behavioural values (form labels → typed text, as an officer types them: grouped, in percent). */
export const FORM_VALUES: Readonly<Record<string, string>> = {
  'Average monthly mobile-money inflow': '25,000',
  'Inflow volatility': '0.3',
  'Months of mobile-money history': '36',
  'Utility bills paid on time (12 months)': '11',
  'Rent paid on time (12 months)': '12',
  'Airtime top-ups per month': '6',
  'Average savings balance': '8,000',
  'Savings rate': '8',
  'Existing debt-to-income': '20',
  'Number of active loans': '1',
  'Worst days past due (12 months)': '0',
  'Employment or business tenure': '48',
  'Requested amount': '50,000',
  'Loan term': '12',
};

/** The fields a statement cannot provide (docs/statement-format.md). */
export const NOT_FROM_STATEMENT = [
  'Utility bills paid on time (12 months)',
  'Rent paid on time (12 months)',
  'Average savings balance',
  'Number of active loans',
  'Worst days past due (12 months)',
  'Employment or business tenure',
  'Requested amount',
  'Loan term',
] as const;

export class ApplicantScreens {
  constructor(
    readonly app: WorkstationPage,
    readonly page: Page = app.page,
  ) {}

  async setOrganisation(): Promise<void> {
    await this.app.goTo('Settings');
    const card = this.page.getByRole('region', { name: 'Organisation (data controller)' });
    const field = (name: string): Locator => card.getByRole('textbox', { name, exact: true });
    await field('Controller name').fill(ORGANISATION.controllerName);
    await field('Contact email').fill(ORGANISATION.contactEmail);
    await field('Contact phone').fill(ORGANISATION.contactPhone);
    await field('Postal address').fill(ORGANISATION.address);
    await field('Jurisdiction').fill(ORGANISATION.jurisdiction);
    await field('Privacy policy URL').fill(ORGANISATION.policyUrl);
    await card.getByRole('button', { name: 'Save controller details' }).click();
    await expect(this.page.getByText(`Controller details saved: ${ORGANISATION.controllerName}.`)).toBeVisible();
  }

  /** Signs in with a temporary password and sets a permanent one. */
  async firstSignIn(account: Account, chosen: string): Promise<void> {
    await this.app.signIn(account.username, account.password);
    await this.app.changeTemporaryPassword(account.password, chosen);
  }

  /** Registers an applicant with consent to credit scoring; ends on the receipt page. Returns the applicant id. */
  async register(
    person: Person = PERSON,
    options: { language?: 'English' | 'Kiswahili'; screenshot?: string } = {},
  ): Promise<string> {
    await this.app.goTo('Applicants');
    await this.page.getByRole('button', { name: 'New applicant' }).click();
    await expect(this.app.heading('New applicant')).toBeVisible();
    const field = (name: string): Locator => this.page.getByRole('textbox', { name, exact: true });
    await field('Full name').fill(person.fullName);
    await field('Phone').fill(person.phone);
    if (person.email) {
      await field('Email').fill(person.email);
    }
    await field('National id').fill(person.nationalId);
    await field('Date of birth').fill(person.dateOfBirth);
    await this.page.getByRole('button', { name: 'Continue to consent' }).click();
    await expect(this.page.getByTestId('consent-notice')).toContainText('Consent to the use of your information');
    if (options.language === 'Kiswahili') {
      await this.page.locator('label').filter({ hasText: 'Kiswahili' }).first().click();
      await expect(this.page.getByTestId('consent-notice')).toContainText('Idhini ya kutumia taarifa zako');
    }
    await this.page.getByRole('checkbox', { name: /Credit scoring of this application|Kupima alama ya mkopo/ }).check();
    await this.page
      .getByRole('checkbox', { name: 'The applicant has read or been read the notice and agrees' })
      .check();
    if (options.screenshot) {
      await this.app.screenshot(options.screenshot, { hideNotifications: true });
    }
    await this.page.getByRole('button', { name: 'Register and sign receipt' }).click();
    await expect(this.app.heading(/^Consent receipt CR-/)).toBeVisible();
    const receipt = this.page.getByTestId('consent-receipt');
    await expect(receipt).toContainText('Signature valid');
    const text = (await receipt.textContent()) ?? '';
    const id = /NEX-[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z*~$=]/.exec(text)?.[0];
    expect(id, 'the receipt names the applicant id').toBeTruthy();
    return id ?? '';
  }

  async openFromReceipt(applicantId: string): Promise<void> {
    await this.page.getByRole('button', { name: 'Open the applicant' }).click();
    await expect(this.app.heading(applicantId)).toBeVisible();
  }

  async openApplicant(applicantId: string): Promise<void> {
    await this.app.goTo('Applicants');
    // An id prefix finds the applicant (the whole id may end in a check symbol such as `*`).
    await this.page.getByRole('textbox', { name: 'Search' }).fill(applicantId.slice(0, 9));
    await this.page.getByRole('button', { name: `Open ${applicantId}` }).click();
    await expect(this.app.heading(applicantId)).toBeVisible();
  }

  tab(name: 'Overview' | 'Behavioural data' | 'Review and decision' | 'Timeline'): Locator {
    return this.page.getByRole('tab', { name, exact: true });
  }

  featureInput(label: string): Locator {
    return this.page.getByRole('form', { name: 'Behavioural data' }).getByRole('textbox', { name: label, exact: true });
  }

  async fillFeatures(labels: readonly string[]): Promise<void> {
    for (const label of labels) {
      await this.featureInput(label).fill(FORM_VALUES[label] ?? '');
    }
    await this.page.getByRole('button', { name: 'Save behavioural data' }).click();
    await expect(this.page.getByText('Behavioural data saved.')).toBeVisible();
  }
}
