import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from './fixtures';
import { WorkstationPage } from './pages/workstation-page';

/**
 * A public age recipient only: its identity was never kept, because this test checks what the workstation writes
 * and shows, not the bank's recovery (electron/core/recovery tests decrypt bundles with identities they generate).
 */
const RECIPIENT = 'age1x0hqr74az2qncdpusdazyc6a69d7exqnftaxy0peecu0ekq2la5ssvt787';

test.use({ harnessArgs: ['--recovery-recipient', RECIPIENT] });

test('an administrator picks a drive folder and writes a recovery backup to it', async ({ page, harness }) => {
  const drive = mkdtempSync(join(tmpdir(), 'nexis-e2e-drive-'));
  try {
    const app = new WorkstationPage(page);
    await app.open(harness.url);
    await app.setUp();
    await app.goTo('Settings');
    const recovery = page.getByRole('region', { name: 'Recovery backups' });
    await expect(recovery.getByTestId('recovery-disabled')).toHaveCount(0);

    await recovery.getByRole('textbox', { name: 'Backup folder' }).fill(drive);
    await recovery.getByRole('button', { name: 'Save folder' }).click();
    await recovery.getByRole('button', { name: 'Write a recovery backup now' }).click();
    await expect(recovery.getByTestId('recovery-status')).not.toContainText('Never');
    await expect.poll(() => readdirSync(drive).filter((f) => f.endsWith('.nexisbak')).length).toBe(1);
    await app.screenshotOf(recovery, '07d-settings-recovery-written');
  } finally {
    rmSync(drive, { recursive: true, force: true });
  }
});
