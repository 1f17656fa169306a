import { BrowserWindow, session } from 'electron';
import { APP_INDEX_URL, isAppUrl as isAppSchemeUrl } from '../core/app-protocol';
import { serveAppScheme } from './protocol';
import { hardenSession, hardenWebContents } from './security';

export interface WindowOptions {
  readonly preloadPath: string;
  /** Dev server URL (electron-vite dev) or undefined to load the built renderer through app://nexis/. */
  readonly devServerUrl: string | undefined;
  readonly rendererDir: string;
  readonly devTools: boolean;
}

export function createMainWindow(options: WindowOptions): BrowserWindow {
  const appSession = session.fromPartition('persist:nexis');
  hardenSession(appSession);
  const window = new BrowserWindow({
    width: 1360,
    height: 880,
    minWidth: 1024,
    minHeight: 680,
    show: false,
    title: 'NEXIS Lender Workstation',
    autoHideMenuBar: true,
    webPreferences: {
      preload: options.preloadPath,
      session: appSession,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      devTools: options.devTools,
    },
  });
  const devServerUrl = options.devServerUrl;
  // Built renderer: served from its folder on app://nexis/ (electron/main/protocol.ts), with the CSP as a header.
  if (devServerUrl === undefined) {
    serveAppScheme(appSession, options.rendererDir);
  }
  const isAppUrl = (url: string): boolean =>
    devServerUrl !== undefined ? url.startsWith(devServerUrl) : isAppSchemeUrl(url);
  hardenWebContents(window.webContents, isAppUrl);
  window.once('ready-to-show', () => window.show());
  void window.loadURL(devServerUrl ?? APP_INDEX_URL);
  return window;
}
