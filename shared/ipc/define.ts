import type { z } from 'zod';
import type { Role } from '../domain/roles';

/**
 * Who may call a channel.
 * - `public`: no session needed (sign-in, first-run setup, status).
 * - `session`: a signed-in officer, even while the session is locked (unlock, sign-out).
 * - `signedIn`: any signed-in officer with an unlocked session.
 * - a list of roles: an unlocked session whose officer has one of them.
 */
export type Access = 'public' | 'session' | 'signedIn' | readonly Role[];

export interface ChannelSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly input: I;
  readonly output: O;
  readonly access: Access;
  /** One line for people: what the channel does. */
  readonly summary: string;
  /**
   * A read screens repeat on a timer (status polling): it is not officer activity, so it neither keeps a session
   * from locking when idle nor counts toward anything an officer did.
   */
  readonly polled?: true;
}

export type ChannelMap = Record<string, ChannelSpec>;

/** Identity helper that keeps the literal channel names and schema types of a capability map. */
export function defineChannels<const M extends ChannelMap>(capability: string, map: M): M {
  for (const name of Object.keys(map)) {
    if (!name.startsWith(`${capability}:`) || name.split(':').length !== 2) {
      throw new Error(`IPC channel "${name}" must be named "${capability}:<action>"`);
    }
  }
  return map;
}

/** Merges capability maps into one contract; a channel declared twice is a start-up error. */
export function mergeContracts<const Maps extends readonly ChannelMap[]>(
  ...maps: Maps
): UnionToIntersection<Maps[number]> {
  const merged: ChannelMap = {};
  for (const map of maps) {
    for (const [name, spec] of Object.entries(map)) {
      if (Object.hasOwn(merged, name)) {
        throw new Error(`IPC channel "${name}" is declared twice`);
      }
      merged[name] = spec;
    }
  }
  return merged as UnionToIntersection<Maps[number]>;
}

type UnionToIntersection<U> = (U extends unknown ? (arg: U) => void : never) extends (arg: infer I) => void ? I : never;
