import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { test, expect } from './fixtures';
import { ADMIN, WorkstationPage } from './pages/workstation-page';

/** Rewrites one audit entry behind the core's back, as someone holding the database key could. */
function tamperWithEntry(dataDir: string, seq: number): void {
  const key = readFileSync(join(dataDir, 'db.key'), 'utf8').trim();
  const db = new Database(join(dataDir, 'nexis.db'));
  try {
    db.pragma(`cipher='sqlcipher'`);
    db.pragma('legacy=4');
    db.pragma(`key="x'${key}'"`);
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare('UPDATE audit_log SET payload = ? WHERE seq = ?').run(JSON.stringify({ reason: 'rewritten' }), seq);
  } finally {
    db.close();
  }
}

test('verifying an altered audit trail shows FAILED with the first bad entry', async ({ page, harness }) => {
  const app = new WorkstationPage(page);
  await app.open(harness.url);
  await app.setUp();
  await app.signOut();

  await harness.stop();
  tamperWithEntry(harness.dataDir, 2);
  await harness.restart();

  await app.open(harness.url);
  await app.signIn(ADMIN.username, ADMIN.password);
  await app.goTo('Audit trail');
  await page.getByRole('button', { name: 'Verify chain' }).click();

  const failure = page.getByRole('alert').filter({ hasText: 'Chain verification FAILED' });
  await expect(failure).toBeVisible();
  await expect(failure).toContainText('entry #2');
  await expect(page.locator('tbody tr[data-tampered]')).toContainText('auth.signed_out');
  await app.screenshot('04c-audit-failed');

  await app.goTo('Status');
  await expect(page.getByRole('region', { name: 'Audit chain' })).toContainText('Broken');
});
