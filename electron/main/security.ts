/**
 * Window and session hardening: no new windows, no navigation away from the app, no permissions, and external
 * links only through one allow-list.
 */
import { shell, type Session, type WebContents } from 'electron';

/** The only places the app may open in the system browser. */
const EXTERNAL_ALLOW_LIST: readonly string[] = ['https://gdpr-info.eu/', 'https://eur-lex.europa.eu/'];

export function isAllowedExternalUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === 'https:' && EXTERNAL_ALLOW_LIST.some((prefix) => parsed.href.startsWith(prefix));
}

export async function safeOpenExternal(url: string): Promise<boolean> {
  if (!isAllowedExternalUrl(url)) {
    return false;
  }
  await shell.openExternal(url);
  return true;
}

export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

export function hardenWebContents(contents: WebContents, isAppUrl: (url: string) => boolean): void {
  contents.setWindowOpenHandler(({ url }) => {
    void safeOpenExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) {
      event.preventDefault();
    }
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) {
      event.preventDefault();
    }
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
