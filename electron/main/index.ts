/**
 * Electron main process: lifecycle, single instance, key custody, window, and the IPC wiring of the core. Thin:
 * everything the workstation does lives in electron/core.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { app, dialog, Menu } from 'electron';
import { createWorkstation, type Workstation } from '../core/workstation';
import { DATABASE_FILE } from '../core/db/keys';
import { createJsonLogger } from '../core/log';
import { isNexisError } from '../core/errors';
import { loadOrCreateDbKey, safeStorageDeviceKeyCustody } from './key-custody';
import { createMainWindow } from './window';
import { electronUpdaterPort } from './updater';
import {
  BAKED_TRUST_PATH,
  developmentTrust,
  readTrustFile,
  TrustConfigError,
  trustedTransportFor,
  type WorkstationTrust,
} from '../core/system/trust-config';
import { registerIpc } from './ipc';
import { installCrashHandlers, startCrashReporter } from './crash';
import { registerAppScheme } from './protocol';

const IDLE_SWEEP_MS = 5_000;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // Before app.whenReady(): Chromium fixes scheme privileges at start-up; an early crash still leaves a local dump.
  registerAppScheme();
  startCrashReporter(process.env.NEXIS_DATA_DIR ?? app.getPath('userData'));
  void start();
}

/**
 * What this build trusts. A packaged build: only the bank trust baked into its asar archive by `npm run dist -- --trust
 * <file>` (scripts/bake-trust.ts), checked again here, never anything from the environment; a missing file, the
 * development key or an http server refuse the start. A development run: the committed development key, any server.
 */
function loadTrust(): WorkstationTrust {
  if (!app.isPackaged) {
    return developmentTrust(
      readFileSync(join(app.getAppPath(), 'resources', 'model', 'dev-keys', 'public.pem'), 'utf8'),
    );
  }
  return readTrustFile(join(app.getAppPath(), BAKED_TRUST_PATH));
}

/** The start-up refusal for a trust file, in words an administrator can act on (no secret in it). */
function trustRefusal(error: TrustConfigError): string {
  const lead =
    error.code === 'TRUST_DEVELOPMENT_KEY'
      ? 'This build trusts the DEVELOPMENT signing key, which anyone may hold. It must not run at a bank.'
      : error.code === 'TRUST_MISSING'
        ? 'This build carries no bank trust configuration: it was not made with `npm run dist -- --trust <file>`.'
        : "This build's bank trust configuration is invalid.";
  return `${lead}\n\n${error.message}\n\nAsk the bank's IT team for a release build made with the bank's trust file (docs/trust.md).`;
}

async function start(): Promise<void> {
  await app.whenReady();
  Menu.setApplicationMenu(null);
  const log = createJsonLogger();
  const dataDir = process.env.NEXIS_DATA_DIR ?? app.getPath('userData');
  // Inside the asar archive in a packaged build (electron-builder.yml `files`), at the repository's paths; the
  // repository itself in development. Read with plain fs calls, which Electron serves from the archive.
  const appDir = app.getAppPath();
  const resourcesDir = join(appDir, 'resources');
  let ws: Workstation | undefined;
  let trust: WorkstationTrust;
  try {
    trust = loadTrust();
  } catch (error) {
    log.error('startup.trust_refused', { code: error instanceof TrustConfigError ? error.code : 'INTERNAL' });
    dialog.showErrorBox(
      'NEXIS cannot start',
      error instanceof TrustConfigError ? trustRefusal(error) : 'The bank trust configuration could not be read.',
    );
    app.exit(1);
    return;
  }
  // Packaged builds update themselves from the bank's central API on the baked channel; development runs never do.
  const channel = trust.updateChannel;
  try {
    const key = await loadOrCreateDbKey(dataDir, existsSync(join(dataDir, DATABASE_FILE)));
    ws = createWorkstation({
      dataDir,
      dbKey: key,
      deviceKeyCustody: safeStorageDeviceKeyCustody(dataDir),
      backgroundCheckpoints: true,
      ...(channel === null
        ? {}
        : {
            updates: {
              channel,
              port: electronUpdaterPort(() => ws?.sync.updateFeed(channel) ?? Promise.resolve(null)),
            },
          }),
      appVersion: app.getVersion(),
      logger: log,
      migrationsDir: join(appDir, 'electron', 'core', 'db', 'migrations'),
      noticesDir: join(resourcesDir, 'notices'),
      fontsDir: join(resourcesDir, 'fonts'),
      modelDir: join(resourcesDir, 'model'),
      // The one release key: model packages, policy releases, officer grants and app releases.
      modelPublicKey: trust.releasePublicKeyPem,
      // A bank build talks to its baked central server only, over https with the baked CA and pins.
      ...(trust.centralServer === null
        ? {}
        : { syncTransportFor: trustedTransportFor(trust.centralServer), trustedServerUrl: trust.centralServer.url }),
      ...(trust.recoveryRecipients === null ? {} : { recoveryRecipients: trust.recoveryRecipients }),
    });
    key.fill(0);
  } catch (error) {
    const message = isNexisError(error) ? error.message : 'The workstation could not start.';
    log.error('startup.failed', { code: isNexisError(error) ? error.code : 'INTERNAL' });
    dialog.showErrorBox('NEXIS cannot start', message);
    app.exit(1);
    return;
  }

  installCrashHandlers({
    crash: (kind, detail) => ws.diagnostics.crash(kind, detail),
    flush: () => ws.diagnostics.flush(),
    close: () => ws.close(),
  });
  const window = createMainWindow({
    preloadPath: join(__dirname, '../preload/index.cjs'),
    devServerUrl: app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL,
    rendererDir: join(__dirname, '../renderer'),
    devTools: !app.isPackaged,
  });
  const unregister = registerIpc(ws, window);
  const sweeper = setInterval(() => ws.sessions.sweep(), IDLE_SWEEP_MS);

  app.on('second-instance', () => {
    if (window.isMinimized()) {
      window.restore();
    }
    window.focus();
  });
  window.on('closed', () => {
    clearInterval(sweeper);
    unregister();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => ws.close());
}
