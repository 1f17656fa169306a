import type { z } from 'zod';
import { mergeContracts } from './define';
import { authChannels } from './auth';
import { officersChannels } from './officers';
import { auditChannels } from './audit';
import { systemChannels } from './system';
import { recoveryChannels } from './recovery';
import { applicantsChannels, consentChannels } from './applicants';
import { decisionsChannels, lettersChannels, modelChannels, scoringChannels } from './scoring';
import { consoleChannels, syncChannels } from './sync';
import type { IpcResult } from './result';
import type { EventName, EventPayload } from './events';

/** Every IPC channel of the app. Merging throws at start-up if two capabilities declare the same channel. */
export const contract = mergeContracts(
  authChannels,
  officersChannels,
  auditChannels,
  systemChannels,
  recoveryChannels,
  applicantsChannels,
  consentChannels,
  scoringChannels,
  decisionsChannels,
  lettersChannels,
  modelChannels,
  syncChannels,
  consoleChannels,
);

export type Contract = typeof contract;
export type Channel = keyof Contract & string;
export type ChannelInput<C extends Channel> = z.input<Contract[C]['input']>;
export type ChannelOutput<C extends Channel> = z.output<Contract[C]['output']>;

export const CHANNELS = Object.keys(contract) as Channel[];

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.hasOwn(contract, name);
}

/** The one object the preload (or the browser harness) exposes as `window.nexis`. */
export interface NexisBridge {
  invoke<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<IpcResult<ChannelOutput<C>>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}
