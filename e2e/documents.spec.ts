/**
 * Documents for the applicant: the printed consent receipt is one A4 page headed by the bank, names the applicant in
 * clear (an audited reveal at printing), and is wholly in the consent language, for names in any script; the letter
 * downloaded from the harness carries the name intact and no replay record, which the bank copy carries instead.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Download, Page } from '@playwright/test';
import { PDFDocument } from 'pdf-lib';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { test, expect } from './fixtures';
import { ApplicantScreens, FORM_VALUES, ORGANISATION, PERSON } from './pages/applicant-page';
import { confirmDecision } from './pages/review-page';
import { WorkstationPage, type Account } from './pages/workstation-page';

const OFFICER: Account = { displayName: 'Otieno Odhiambo', username: 'otieno', password: 'Temporary-Pass-01' };
const SHOTS = '/tmp/shots-h1';

interface PrintProbe {
  nexisPrinted: string[];
  print: () => void;
  document: { querySelector(selector: string): { textContent: string | null } | null };
}

/** English labels of the receipt that must not appear on a Kiswahili one. */
const ENGLISH_LABELS = ['Consent receipt', 'Applicant number', 'Given on', 'Your choice', 'How long', 'History'];

test('printed consent receipt: one A4 page with the bank and the applicant, in English and in Kiswahili', async ({
  page,
  harness,
}) => {
  test.setTimeout(120_000);
  mkdirSync(SHOTS, { recursive: true });
  // The print dialog cannot be driven headless: count the calls instead (after the name is on the page).
  // (The spec compiles without the DOM library: the page's globals are typed here as far as they are used.)
  await page.addInitScript(() => {
    const w = globalThis as unknown as PrintProbe;
    w.nexisPrinted = [];
    w.print = () => {
      w.nexisPrinted.push(w.document.querySelector('[data-testid="receipt-applicant"]')?.textContent ?? '');
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
    expect(await page.evaluate(() => (globalThis as unknown as PrintProbe).nexisPrinted.at(-1))).toBe(c.name);
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

/** The text of a downloaded PDF as PDF.js reads it back (lines joined by newlines), and its page count. */
async function downloadedText(
  page: Page,
  button: string | RegExp,
): Promise<{ text: string; pages: number; name: string }> {
  const download: Promise<Download> = page.waitForEvent('download');
  await page.getByRole('table', { name: 'Decisions' }).getByRole('button', { name: button }).click();
  const file = await download;
  const bytes = new Uint8Array(readFileSync(await file.path()));
  writeFileSync(`${SHOTS}/${file.suggestedFilename()}`, bytes);
  const doc = await getDocument({ data: bytes, useSystemFonts: false, isEvalSupported: false }).promise;
  let text = '';
  for (let n = 1; n <= doc.numPages; n += 1) {
    for (const item of (await (await doc.getPage(n)).getTextContent()).items) {
      if ('str' in item) {
        text += item.str + (item.hasEOL ? '\n' : '');
      }
    }
  }
  const pages = doc.numPages;
  await doc.destroy();
  return { text, pages, name: file.suggestedFilename() };
}

test('letter and bank copy from the decision history: an Arabic name intact, the replay record only in the copy', async ({
  page,
  harness,
}) => {
  test.setTimeout(150_000);
  mkdirSync(SHOTS, { recursive: true });
  const app = new WorkstationPage(page);
  const screens = new ApplicantScreens(app);
  await app.open(harness.url);
  await app.setUp();
  await screens.setOrganisation();
  await app.createOfficer(OFFICER, 'Loan officer');
  await app.signOut();
  await screens.firstSignIn(OFFICER, 'Officer-Secret-301');
  const name = 'يوسف بن زيد';
  const applicantId = await screens.register({ ...PERSON, fullName: name }, { language: 'Kiswahili' });
  await screens.openFromReceipt(applicantId);
  await screens.tab('Behavioural data').click();
  await screens.fillFeatures(Object.keys(FORM_VALUES));
  await screens.tab('Review and decision').click();
  await page.getByRole('button', { name: 'Score', exact: true }).click();
  await expect(page.getByTestId('score-summary')).toContainText('Probability of default');
  // The form's values score into the approval band: the officer follows the policy.
  const decision = page.getByRole('region', { name: 'Decision', exact: true });
  await decision.getByRole('radiogroup', { name: 'Decision' }).locator('label').filter({ hasText: 'Approve' }).click();
  await decision.getByRole('button', { name: 'Record decision' }).click();
  await confirmDecision(page, 'Approve');

  const letter = await downloadedText(page, 'Download letter (PDF)');
  expect(letter.name).toMatch(/^nexis-letter-DC-[0-9A-F]{16}\.pdf$/);
  expect(letter.pages).toBe(1);
  expect(letter.text).toContain(ORGANISATION.controllerName);
  expect(letter.text).toContain(`Mpendwa ${name},`);
  expect(letter.text).toContain('Ombi lako la mkopo limekubaliwa');
  expect(letter.text).not.toMatch(/[?\uFFFD]|sha256:|SHA-256|\d{4}-\d{2}-\d{2}T/);
  expect(letter.text).not.toMatch(/\b(approve|decline|score|points)\b/i);

  const copy = await downloadedText(page, /^Bank copy of DC-/);
  expect(copy.name).toMatch(/^nexis-bank-copy-DC-[0-9A-F]{16}\.pdf$/);
  expect(copy.text).toContain('Not for the applicant');
  expect(copy.text).toMatch(/sha256:[0-9a-f]{64}/);
  expect(copy.text).toContain(applicantId);
  expect(copy.text).not.toContain(name);
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.getByRole('table', { name: 'Decisions' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/decision-history.png` });
});
