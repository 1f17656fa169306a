/** The handler map of one capability's channels: what `createHandlers` spreads in from each module. */
import type { z } from 'zod';
import type { ChannelMap } from '../../../shared/ipc/define';
import type { HandlerContext } from './handlers';

export type HandlersOf<M extends ChannelMap> = {
  [C in keyof M]: (
    ctx: HandlerContext,
    input: z.output<M[C]['input']>,
  ) => Promise<z.input<M[C]['output']>> | z.input<M[C]['output']>;
};
