/**
 * Browser harness (`npm run dev:web`): serves the built renderer and the real core's IPC handlers over a WebSocket
 * on 127.0.0.1, so the real UI and the real core run together in a real browser (Playwright drives it in CI, where
 * no Electron binary can be downloaded). Development and testing only; not part of the shipped app.
 *
 *   tsx electron/harness/serve.ts [--data <dir>] [--port <n>] [--checkpoint-every <n>]   (port 0 picks a free one)
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import ts from 'typescript';
import { WebSocketServer, type WebSocket } from 'ws';
import { createWorkstation } from '../core/workstation';
import { resolveNodeDbKey } from '../core/db/keys';
import { createJsonLogger } from '../core/log';
import { SessionManager } from '../core/sessions/session-manager';
import { isNexisError } from '../core/errors';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RENDERER_DIR = join(ROOT, 'out', 'renderer');
const HOST = '127.0.0.1';
const MAX_MESSAGE_BYTES = 1024 * 1024;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

function bridgeScript(): string {
  const source = readFileSync(join(ROOT, 'electron', 'harness', 'bridge.ts'), 'utf8');
  return ts.transpileModule(source, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
  }).outputText;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      data: { type: 'string', default: join(ROOT, '.nexis-data', 'harness') },
      port: { type: 'string', default: '5174' },
      /** Signed audit checkpoints more often than every 500 entries: lets a short demo or test see countersigning. */
      'checkpoint-every': { type: 'string' },
      /** The release public key (PEM file) to trust instead of the development key: the E2E suites' run-time key. */
      'release-key': { type: 'string' },
      /** The model package folder to start on (default resources/model): one signed with that key. */
      model: { type: 'string' },
      /** An age recipient to write recovery bundles to, as a bank build's baked trust would (E2E only). */
      'recovery-recipient': { type: 'string', multiple: true },
    },
  });
  const dataDir = resolve(values.data);
  const port = Number(values.port);
  const checkpointEvery = values['checkpoint-every'] === undefined ? undefined : Number(values['checkpoint-every']);
  if (checkpointEvery !== undefined && (!Number.isInteger(checkpointEvery) || checkpointEvery < 1)) {
    process.stderr.write('--checkpoint-every takes a whole number of entries, at least 1.\n');
    process.exit(2);
  }
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) {
    process.stderr.write('The renderer is not built: run `npm run dev:web` (it builds first) or `npm run build`.\n');
    process.exit(2);
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const log = createJsonLogger();
  let ws;
  try {
    ws = createWorkstation({
      dataDir,
      dbKey: resolveNodeDbKey({ dataDir }),
      backgroundCheckpoints: true,
      logger: log,
      // The version the repository would package, so the fleet view and the update logic see a real version.
      appVersion: (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version,
      ...(checkpointEvery === undefined ? {} : { checkpointEvery }),
      ...(values['release-key'] === undefined
        ? {}
        : { modelPublicKey: readFileSync(resolve(values['release-key']), 'utf8') }),
      ...(values.model === undefined ? {} : { modelDir: resolve(values.model) }),
      ...(values['recovery-recipient'] === undefined ? {} : { recoveryRecipients: values['recovery-recipient'] }),
    });
  } catch (error) {
    process.stderr.write(
      `Cannot open the workstation in ${dataDir}: ${isNexisError(error) ? error.message : String(error)}\n`,
    );
    process.exit(1);
  }
  const workstation = ws;
  const bridge = bridgeScript();
  const indexHtml = readFileSync(join(RENDERER_DIR, 'index.html'), 'utf8').replace(
    '<script type="module"',
    '<script type="module" src="/__harness/bridge.js"></script>\n    <script type="module"',
  );

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', `http://${HOST}`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'no-store');
    if (req.method !== 'GET') {
      res.writeHead(405).end();
      return;
    }
    if (url.pathname === '/__harness/bridge.js') {
      res.writeHead(200, { 'Content-Type': CONTENT_TYPES['.js'] }).end(bridge);
      return;
    }
    const file = normalize(join(RENDERER_DIR, decodeURIComponent(url.pathname)));
    if (url.pathname === '/' || !file.startsWith(RENDERER_DIR + sep) || !existsSync(file) || !statSync(file).isFile()) {
      // Single-page app: every unknown path is the app itself.
      res.writeHead(200, { 'Content-Type': CONTENT_TYPES['.html'] }).end(indexHtml);
      return;
    }
    res
      .writeHead(200, { 'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' })
      .end(readFileSync(file));
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (req, socket, head) => {
    const address = server.address();
    const expectedOrigin = typeof address === 'object' && address ? `http://${HOST}:${address.port}` : '';
    // Only the page this harness served may talk to the core (no other site, no DNS rebinding).
    if (
      new URL(req.url ?? '/', `http://${HOST}`).pathname !== '/__harness/ws' ||
      req.headers.origin !== expectedOrigin
    ) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (client) => serveConnection(client));
  });

  const sockets = new Map<string, WebSocket>();
  workstation.onEvent((connectionId, event, payload) =>
    sockets.get(connectionId)?.send(JSON.stringify({ event, payload })),
  );

  function serveConnection(client: WebSocket): void {
    const connectionId = SessionManager.newConnectionId();
    sockets.set(connectionId, client);
    client.on('message', (raw) => {
      let message: unknown;
      try {
        message = JSON.parse(String(raw));
      } catch {
        return;
      }
      if (typeof message !== 'object' || message === null || !('id' in message) || typeof message.id !== 'number') {
        return;
      }
      const { id } = message;
      const channel = 'channel' in message ? message.channel : undefined;
      const input = 'input' in message ? message.input : undefined;
      void workstation
        .dispatch(connectionId, channel, input)
        .then((result) => client.send(JSON.stringify({ id, result })));
    });
    client.on('close', () => {
      sockets.delete(connectionId);
      workstation.disconnect(connectionId);
    });
  }

  const sweeper = setInterval(() => workstation.sessions.sweep(), 1_000);
  server.listen(port, HOST, () => {
    const address = server.address();
    const actualPort = typeof address === 'object' && address ? address.port : port;
    process.stdout.write(`NEXIS harness listening on http://${HOST}:${actualPort} (data: ${dataDir})\n`);
  });

  const shutdown = (): void => {
    clearInterval(sweeper);
    for (const client of sockets.values()) {
      client.terminate();
    }
    wss.close();
    // Keep-alive connections from the page would otherwise hold close() open.
    server.closeAllConnections();
    server.close(() => {
      workstation.close();
      process.exit(0);
    });
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main();
