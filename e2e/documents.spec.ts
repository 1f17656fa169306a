/**
 * Documents for the applicant: the printed consent receipt is one A4 page headed by the bank, names the applicant in
 * clear (an audited reveal at printing), and is wholly in the consent language, for names in any script.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { PDFDocument } from 'pdf-lib';
import { test, expect } from './fixtures';
import { ApplicantScreens, ORGANISATION, PERSON } from './pages/applicant-page';
import { WorkstationPage, type Account } from './pages/workstation-page';

const OFFICER: Account = { displayName: 'Otieno Odhiambo', username: 'otieno', password: 'Temporary-Pass-01' };
const SHOTS = '/tmp/shots-h1';

/** English labels of the receipt that must not appear on a Kiswahili one. */
const ENGLISH_LABELS = ['Consent receipt', 'Applicant number', 'Given on', 'Your choice', 'How long', 'History'];

test('printed consent receipt: one A4 page with the bank and the applicant, in English and in Kiswahili', async ({
  page,
  harness,
}) => {
  test.setTimeout(120_000);
  mkdirSync(SHOTS, { recursive: true });
  // The print dialog cannot be driven headless: count the calls instead (after the name is on the page).
  await page.addInitScript(() => {
    const w = window as unknown as { nexisPrinted: string[]; print: () => void };
    w.nexisPrinted = [];
    w.print = () => {
      w.nexisPrinted.push(document.querySelector('[data-testid="receipt-applicant"]')?.textContent ?? '');
    };
  });
  const app = new WorkstationPage(page);
  const screens = new ApplicantScreens(app);
  await app.open(harness.url);
  await app.setUp();
  await screens.setOrganisation();
  await app.createOfficer(OFFICER, 'Loan officer');
  await app.signOut();
  await screens.firstSignIn(OFFICER, 'Officer-Secret-301');

  const cases = [
    {
      language: 'English',
      name: 'Zoë Çelik',
      nationalId: '31234567',
      phone: '+254 722 000 111',
      title: 'Consent receipt',
    },
    {
      language: 'Kiswahili',
      name: 'فاطمة الزهراء',
      nationalId: '31234568',
      phone: '+254 722 000 112',
      title: 'Risiti ya idhini',
    },
  ] as const;
  for (const c of cases) {
    await screens.register(
      { ...PERSON, fullName: c.name, nationalId: c.nationalId, phone: c.phone },
      { language: c.language },
    );
    const receipt = page.getByTestId('consent-receipt');
    await expect(page.getByTestId('receipt-bank')).toHaveText(ORGANISATION.controllerName);
    await expect(receipt.getByRole('heading', { name: c.title })).toBeVisible();
    // On screen the name is masked; printing reveals it (audited) and only then opens the print dialog.
    await expect(page.getByTestId('receipt-applicant')).not.toHaveText(c.name);
    await page.getByRole('button', { name: 'Print / Save as PDF' }).click();
    await expect(page.getByTestId('receipt-applicant')).toHaveText(c.name);
    expect(await page.evaluate(() => (window as unknown as { nexisPrinted: string[] }).nexisPrinted.at(-1))).toBe(
      c.name,
    );
    if (c.language === 'Kiswahili') {
      const text = (await receipt.textContent()) ?? '';
      for (const label of ENGLISH_LABELS) {
        expect(text, `"${label}" on a Kiswahili receipt`).not.toContain(label);
      }
      await expect(receipt).toContainText('Mwombaji');
      await expect(receipt).toContainText('Kupima alama ya mkopo');
      await expect(receipt).toContainText('Hadi utakapoiondoa tawini');
    }
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.mouse.move(1, 1);
    await page.screenshot({ path: `${SHOTS}/receipt-${c.language}-screen.png`, fullPage: true });
    await page.emulateMedia({ media: 'print' });
    await expect(page.getByRole('button', { name: 'Print / Save as PDF' })).toBeHidden();
    await page.screenshot({ path: `${SHOTS}/receipt-${c.language}-print.png`, fullPage: true });
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    writeFileSync(`${SHOTS}/receipt-${c.language}.pdf`, pdf);
    expect((await PDFDocument.load(pdf)).getPageCount(), 'the printed receipt fits one A4 page').toBe(1);
    await page.emulateMedia({ media: 'screen' });
  }
});
