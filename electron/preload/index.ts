/**
 * Sandboxed preload: exposes exactly one object, `window.nexis`, with a typed `invoke` restricted to the contract's
 * channels and a typed event subscription. No logic, no raw ipcRenderer.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { isChannel, type NexisBridge } from '../../shared/ipc/contract';
import { EVENT_CHANNEL, EVENT_NAMES, type EventName } from '../../shared/ipc/events';
import { fail } from '../../shared/ipc/result';

const bridge: NexisBridge = {
  // The main process answers with an IpcResult shaped by the contract; the renderer re-validates it.
  invoke: ((channel: string, input: unknown): Promise<unknown> => {
    if (!isChannel(channel)) {
      return Promise.resolve(fail('UNKNOWN_CHANNEL', 'Unknown request.'));
    }
    return ipcRenderer.invoke(channel, input) as Promise<unknown>;
  }) as NexisBridge['invoke'],
  on: (event, listener) => {
    if (!EVENT_NAMES.includes(event)) {
      throw new Error(`Unknown event ${String(event)}`);
    }
    const handler = (_e: IpcRendererEvent, message: { event: EventName; payload: unknown }): void => {
      if (message.event === event) {
        (listener as (payload: unknown) => void)(message.payload);
      }
    };
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, handler);
    };
  },
};

contextBridge.exposeInMainWorld('nexis', bridge);
