/**
 * The renderer's only door to the core: `window.nexis` (Electron preload or browser harness). Answers are
 * re-validated against the contract here, so a bug on either side of the bridge surfaces as a typed error.
 */
import {
  contract,
  type Channel,
  type ChannelInput,
  type ChannelOutput,
  type NexisBridge,
} from '../../../shared/ipc/contract';
import type { ErrorCode } from '../../../shared/ipc/result';
import type { EventName, EventPayload } from '../../../shared/ipc/events';

declare global {
  interface Window {
    readonly nexis: NexisBridge;
  }
}

export class NexisCallError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'NexisCallError';
    this.code = code;
  }
}

/** Calls a channel and returns its value, or throws a NexisCallError carrying the core's code and message. */
export async function call<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const result = await window.nexis.invoke(channel, input);
  if (!result.ok) {
    throw new NexisCallError(result.error.code, result.error.message);
  }
  const parsed = contract[channel].output.safeParse(result.value);
  if (!parsed.success) {
    throw new NexisCallError('INTERNAL', 'The workstation sent an answer this screen does not understand.');
  }
  return parsed.data as ChannelOutput<C>;
}

export function subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
  return window.nexis.on(event, listener);
}
