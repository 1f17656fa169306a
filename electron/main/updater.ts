/**
 * electron-updater as the core's UpdaterPort (electron/core/updates/update-service.ts decides everything: what is
 * accepted, when it installs). Nothing downloads or installs on electron-updater's own initiative: autoDownload and
 * autoInstallOnAppQuit are off until the core has verified the release, and downgrades are never allowed.
 */
import { autoUpdater } from 'electron-updater';
import type { UpdaterPort } from '../core/updates/update-service';

/** Where the feed of this workstation's channel is, with a device access token; null when not enrolled. */
export type FeedAccess = () => Promise<{ readonly url: string; readonly token: string } | null>;

export function electronUpdaterPort(feedAccess: FeedAccess): UpdaterPort {
  autoUpdater.autoDownload = false;
  autoUpdater.autoInstallOnAppQuit = false;
  autoUpdater.allowDowngrade = false;
  // Only the files the bank's signed release names are served; a differential download would ask for others.
  autoUpdater.disableDifferentialDownload = true;
  const configure = async (): Promise<boolean> => {
    const access = await feedAccess();
    if (access === null) {
      return false;
    }
    autoUpdater.setFeedURL({ provider: 'generic', url: access.url, channel: 'latest' });
    autoUpdater.requestHeaders = { authorization: `Bearer ${access.token}` };
    return true;
  };
  return {
    async checkFeed() {
      if (!(await configure())) {
        return null;
      }
      const result = await autoUpdater.checkForUpdates();
      if (result === null || !result.isUpdateAvailable) {
        return null;
      }
      return { version: result.updateInfo.version, files: result.updateInfo.files };
    },
    async download() {
      await configure();
      const [file] = await autoUpdater.downloadUpdate();
      if (file === undefined) {
        throw new Error('electron-updater downloaded no file');
      }
      return file;
    },
    setInstallOnQuit(enabled) {
      autoUpdater.autoInstallOnAppQuit = enabled;
    },
    quitAndInstall() {
      autoUpdater.quitAndInstall(true, true);
    },
  };
}
