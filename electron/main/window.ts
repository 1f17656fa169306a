import { join } from 'node:path';
import { BrowserWindow, session } from 'electron';
import { hardenSession, hardenWebContents } from './security';

export interface WindowOptions {
  readonly preloadPath: string;
  /** Dev server URL (electron-vite dev) or undefined to load the built renderer from disk. */
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
  const indexFile = join(options.rendererDir, 'index.html');
  const isAppUrl = (url: string): boolean =>
    options.devServerUrl !== undefined
      ? url.startsWith(options.devServerUrl)
      : url.startsWith('file://') && decodeURI(new URL(url).pathname) === indexFile.replaceAll('\\', '/');
  hardenWebContents(window.webContents, isAppUrl);
  window.once('ready-to-show', () => window.show());
  if (options.devServerUrl !== undefined) {
    void window.loadURL(options.devServerUrl);
  } else {
    void window.loadFile(indexFile);
  }
  return window;
}
