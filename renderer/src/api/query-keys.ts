/**
 * Keys of the renderer's query cache: `[channel, input]`. TanStack Query compares keys by value, so two screens
 * asking the same channel with equal inputs share one cache entry and one request; invalidating `[channel]` reaches
 * every input of that channel (prefix match).
 */
import type { Channel, ChannelInput } from '../../../shared/ipc/contract';

export type NexisQueryKey<C extends Channel = Channel> = readonly [C, ChannelInput<C>];

export function nexisQueryKey<C extends Channel>(channel: C, input: ChannelInput<C>): NexisQueryKey<C> {
  return [channel, input];
}

/** The prefix that matches every cached input of a channel. */
export function channelKey(channel: Channel): readonly [Channel] {
  return [channel];
}
