/**
 * The `app://nexis/` scheme the packaged renderer loads from, instead of file:// (where every file on the disk is
 * "same origin"). Thin: which file a request may read and the headers, the Content-Security-Policy among them, are
 * decided in electron/core/app-protocol.ts (tested there from the attacker's side).
 */
import { protocol, type Session } from 'electron';
import { APP_SCHEME, appResponse } from '../core/app-protocol';

/** Before `app.whenReady()`: Chromium fixes the schemes' privileges at start-up. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      // standard: an origin of its own (`'self'` in the CSP, localStorage); secure: treated like https. No
      // bypassCSP, no service workers, no streaming: nothing the renderer needs.
      privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
    },
  ]);
}

/** Serves the built renderer folder on `session` (the window's own partition, not the default session). */
export function serveAppScheme(session: Session, rendererDir: string): void {
  if (!session.protocol.isProtocolHandled(APP_SCHEME)) {
    session.protocol.handle(APP_SCHEME, (request) => appResponse(rendererDir, request.url));
  }
}
