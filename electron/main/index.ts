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
import { UPDATE_CHANNELS, type UpdateChannel } from '../../shared/sync/release-bodies';
import { registerIpc } from './ipc';

const IDLE_SWEEP_MS = 5_000;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void start();
}

/**
 * The update channel a packaged build follows, baked into its package.json at build time (`nexis.updateChannel`,
 * default "general"); null in development.
 */
function updateChannel(): UpdateChannel | null {
  if (!app.isPackaged) {
    return null;
  }
  const manifest = JSON.parse(readFileSync(join(app.getAppPath(), 'package.json'), 'utf8')) as {
    nexis?: { updateChannel?: unknown };
  };
  const wanted = manifest.nexis?.updateChannel;
  return UPDATE_CHANNELS.find((c) => c === wanted) ?? 'general';
}

async function start(): Promise<void> {
  await app.whenReady();
  Menu.setApplicationMenu(null);
  const log = createJsonLogger();
  const dataDir = process.env.NEXIS_DATA_DIR ?? app.getPath('userData');
  // Files packaged beside the app (electron-builder extraResources), or the repository's resources/ in development.
  const resourcesDir = app.isPackaged ? process.resourcesPath : join(app.getAppPath(), 'resources');
  let ws: Workstation | undefined;
  const channel = updateChannel();
  try {
    const key = await loadOrCreateDbKey(dataDir, existsSync(join(dataDir, DATABASE_FILE)));
    ws = createWorkstation({
      dataDir,
      dbKey: key,
      deviceKeyCustody: safeStorageDeviceKeyCustody(dataDir),
      // Packaged builds update themselves from the bank's central API; development runs never do.
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
      migrationsDir: app.isPackaged
        ? join(process.resourcesPath, 'migrations')
        : join(app.getAppPath(), 'electron/core/db/migrations'),
      noticesDir: join(resourcesDir, 'notices'),
      fontsDir: join(resourcesDir, 'fonts'),
      modelDir: join(resourcesDir, 'model'),
      // The bank's model-signing public key (NEXIS_MODEL_PUBLIC_KEY_FILE); otherwise the development key shipped
      // beside the default package, which only verifies packages signed with the clearly marked development key.
      modelPublicKey: readFileSync(
        process.env.NEXIS_MODEL_PUBLIC_KEY_FILE ?? join(resourcesDir, 'model', 'dev-keys', 'public.pem'),
        'utf8',
      ),
    });
    key.fill(0);
  } catch (error) {
    const message = isNexisError(error) ? error.message : 'The workstation could not start.';
    log.error('startup.failed', { code: isNexisError(error) ? error.code : 'INTERNAL' });
    dialog.showErrorBox('NEXIS cannot start', message);
    app.exit(1);
    return;
  }

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
