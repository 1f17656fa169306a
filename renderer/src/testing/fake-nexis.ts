/**
 * An in-memory `window.nexis` for renderer component tests, typed against the IPC contract: each handler receives the
 * channel's input type and must return its output type, so a test cannot answer with a shape the core never sends.
 * Answers still pass through `call()` in renderer/src/api, which re-validates them against the contract's schemas.
 */
import type { Channel, ChannelInput, ChannelOutput, NexisBridge } from '../../../shared/ipc/contract';
import type { EventName, EventPayload } from '../../../shared/ipc/events';
import type { ErrorCode, IpcResult } from '../../../shared/ipc/result';

/** Thrown by a handler to make the fake answer `{ ok: false }` with this code, as the core does. */
export class FakeNexisError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

export type FakeHandlers = {
  [C in Channel]?: (input: ChannelInput<C>) => ChannelOutput<C> | Promise<ChannelOutput<C>>;
};

export interface FakeCall {
  readonly channel: Channel;
  readonly input: unknown;
}

export interface FakeNexis extends NexisBridge {
  /** Every invoke, in order. */
  readonly calls: FakeCall[];
  /** The calls made to one channel. */
  callsTo(channel: Channel): FakeCall[];
  /** Replaces or adds handlers (e.g. the data changed in the core). */
  handle(handlers: FakeHandlers): void;
  /** Pushes an event to the renderer's subscribers, as the core does. */
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
}

export function createFakeNexis(initial: FakeHandlers = {}): FakeNexis {
  const handlers: FakeHandlers = { ...initial };
  const calls: FakeCall[] = [];
  const listeners = new Map<EventName, Set<(payload: never) => void>>();

  const invoke = async <C extends Channel>(
    channel: C,
    input: ChannelInput<C>,
  ): Promise<IpcResult<ChannelOutput<C>>> => {
    calls.push({ channel, input });
    const handler = handlers[channel] as
      ((input: ChannelInput<C>) => ChannelOutput<C> | Promise<ChannelOutput<C>>) | undefined;
    if (!handler) {
      return { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: `The test gave no answer for ${channel}.` } };
    }
    try {
      return { ok: true, value: await handler(input) };
    } catch (error) {
      if (error instanceof FakeNexisError) {
        return { ok: false, error: { code: error.code, message: error.message } };
      }
      throw error;
    }
  };

  return {
    calls,
    invoke,
    callsTo: (channel) => calls.filter((entry) => entry.channel === channel),
    handle: (more) => Object.assign(handlers, more),
    on: (event, listener) => {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (payload: never) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (payload: never) => void);
    },
    emit: (event, payload) => {
      for (const listener of listeners.get(event) ?? []) {
        (listener as (payload: EventPayload<typeof event>) => void)(payload);
      }
    },
  };
}

/** Installs the fake as `window.nexis` (the property is read-only in the app's typings, so it is defined). */
export function installFakeNexis(handlers: FakeHandlers = {}): FakeNexis {
  const fake = createFakeNexis(handlers);
  Object.defineProperty(window, 'nexis', { value: fake, configurable: true, writable: false });
  return fake;
}
