/**
 * Browser side of the harness: implements `window.nexis` over the harness WebSocket, with the same contract as the
 * Electron preload. Served by serve.ts (transpiled on the fly); never part of the shipped app. Self-contained: type
 * imports only, so the transpiled file needs no bundler.
 */
import type { NexisBridge } from '../../shared/ipc/contract';
import type { EventName } from '../../shared/ipc/events';
import type { IpcResult } from '../../shared/ipc/result';

type Pending = (result: IpcResult<unknown>) => void;

function connect(): NexisBridge {
  const url = `ws://${location.host}/__harness/ws`;
  const pending = new Map<number, Pending>();
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let nextId = 1;
  const socket = new WebSocket(url);
  const opened = new Promise<void>((resolve) => socket.addEventListener('open', () => resolve(), { once: true }));

  socket.addEventListener('message', (message: MessageEvent<string>) => {
    const data = JSON.parse(message.data) as {
      id?: number;
      result?: IpcResult<unknown>;
      event?: EventName;
      payload?: unknown;
    };
    if (typeof data.id === 'number' && data.result) {
      pending.get(data.id)?.(data.result);
      pending.delete(data.id);
    } else if (data.event) {
      for (const listener of listeners.get(data.event) ?? []) {
        listener(data.payload);
      }
    }
  });
  socket.addEventListener('close', () => {
    for (const resolve of pending.values()) {
      resolve({
        ok: false,
        error: { code: 'IO_ERROR', message: 'The connection to the workstation was lost. Reload the page.' },
      });
    }
    pending.clear();
  });

  const invoke = async (channel: string, input: unknown): Promise<IpcResult<unknown>> => {
    await opened;
    if (socket.readyState !== WebSocket.OPEN) {
      return {
        ok: false,
        error: { code: 'IO_ERROR', message: 'The connection to the workstation was lost. Reload the page.' },
      };
    }
    const id = nextId++;
    return new Promise((resolve) => {
      pending.set(id, resolve);
      socket.send(JSON.stringify({ id, channel, input }));
    });
  };

  return {
    invoke: invoke as NexisBridge['invoke'],
    on: (event, listener) => {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (payload: unknown) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (payload: unknown) => void);
    },
  };
}

(window as unknown as { nexis: NexisBridge }).nexis = connect();
