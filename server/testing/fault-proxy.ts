/**
 * A fault-injecting HTTP proxy on 127.0.0.1 for the resilience harness. Driven by a seeded PRNG, each exchange is
 * passed, dropped before the server sees it, dropped after the server acted, duplicated, delayed, replayed late
 * (reordered behind later requests), or cut in the middle of the response body. Loopback only, by construction.
 */
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { Socket } from 'node:net';

export const FAULTS = ['pass', 'drop-request', 'drop-response', 'duplicate', 'delay', 'reorder', 'cut'] as const;
export type Fault = (typeof FAULTS)[number];

export interface FaultProxyOptions {
  /** Probability of each fault; `pass` takes the rest. */
  readonly rates: Partial<Record<Exclude<Fault, 'pass'>, number>>;
  readonly random: () => number;
  readonly maxDelayMs?: number;
}

export interface FaultProxy {
  readonly url: string;
  readonly stats: Record<Fault, number> & { total: number };
  setTarget(port: number): void;
  setFaults(enabled: boolean): void;
  close(): Promise<void>;
}

interface Upstream {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

const LOOPBACK = '127.0.0.1';

export async function startFaultProxy(targetPort: number, options: FaultProxyOptions): Promise<FaultProxy> {
  let target = targetPort;
  let enabled = true;
  const maxDelay = options.maxDelayMs ?? 30;
  const stats = { total: 0, ...Object.fromEntries(FAULTS.map((f) => [f, 0])) } as Record<Fault, number> & {
    total: number;
  };
  const sockets = new Set<Socket>();
  const pending = new Set<Promise<unknown>>();
  const track = <T>(work: Promise<T>): Promise<T> => {
    pending.add(work);
    void work.finally(() => pending.delete(work)).catch(() => undefined);
    return work;
  };
  const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

  const pick = (): Fault => {
    if (!enabled) {
      return 'pass';
    }
    let roll = options.random();
    for (const fault of FAULTS) {
      if (fault === 'pass') {
        continue;
      }
      roll -= options.rates[fault] ?? 0;
      if (roll < 0) {
        return fault;
      }
    }
    return 'pass';
  };

  const forward = (req: IncomingMessage, body: Buffer): Promise<Upstream> =>
    new Promise((resolve, reject) => {
      const headers = { ...req.headers, host: `${LOOPBACK}:${target}`, 'content-length': String(body.length) };
      delete headers.connection;
      const upstream = httpRequest(
        { host: LOOPBACK, port: target, method: req.method, path: req.url, headers, agent: false },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const out: Record<string, string> = {};
            for (const [key, value] of Object.entries(res.headers)) {
              if (typeof value === 'string' && key !== 'connection' && key !== 'transfer-encoding') {
                out[key] = value;
              }
            }
            resolve({ status: res.statusCode ?? 502, headers: out, body: Buffer.concat(chunks) });
          });
          res.on('error', reject);
        },
      );
      upstream.on('error', reject);
      upstream.end(body);
    });

  const reply = (res: ServerResponse, upstream: Upstream): void => {
    res.writeHead(upstream.status, { ...upstream.headers, 'content-length': String(upstream.body.length) });
    res.end(upstream.body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) {
      chunks.push(chunk as Buffer);
    }
    const body = Buffer.concat(chunks);
    const fault = pick();
    stats.total += 1;
    stats[fault] += 1;
    switch (fault) {
      case 'drop-request':
        req.socket.destroy();
        return;
      case 'drop-response':
        await forward(req, body).catch(() => undefined);
        req.socket.destroy();
        return;
      case 'duplicate': {
        const first = forward(req, body).catch(() => undefined);
        const second = await forward(req, body);
        await first;
        reply(res, second);
        return;
      }
      case 'delay':
        await sleep(Math.floor(options.random() * maxDelay));
        reply(res, await forward(req, body));
        return;
      case 'reorder': {
        // Answered now, and the same request arrives again later, behind whatever the client sends next.
        const late = Math.floor(options.random() * maxDelay) + 1;
        void track(sleep(late).then(() => forward(req, body).catch(() => undefined)));
        reply(res, await forward(req, body));
        return;
      }
      case 'cut': {
        const upstream = await forward(req, body);
        res.writeHead(upstream.status, { ...upstream.headers, 'content-length': String(upstream.body.length) });
        res.write(upstream.body.subarray(0, Math.floor(upstream.body.length / 2)));
        await sleep(1);
        req.socket.destroy();
        return;
      }
      case 'pass':
        reply(res, await forward(req, body));
        return;
    }
  };

  const server: Server = createServer((req, res) => {
    void track(
      handle(req, res).catch(() => {
        // The server was unreachable (restarting): the client sees a dropped connection, as on a real network.
        req.socket.destroy();
      }),
    );
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, LOOPBACK, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://${LOOPBACK}:${port}`,
    stats,
    setTarget: (next) => {
      target = next;
    },
    setFaults: (on) => {
      enabled = on;
    },
    close: async () => {
      await Promise.allSettled([...pending]);
      for (const socket of sockets) {
        socket.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
