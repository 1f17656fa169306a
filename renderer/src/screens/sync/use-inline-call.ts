import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import type { Channel, ChannelInput, ChannelOutput } from '../../../../shared/ipc/contract';
import { invalidatedBy } from '../../api/invalidation';
import { call } from '../../api/nexis';
import { channelKey } from '../../api/query-keys';
import { useAuth } from '../../auth';
import { describeError, errorCode, SESSION_ERROR_CODES } from '../../errors';
import type { MutationResult } from '../../hooks';

export interface InlineCall<C extends Channel> {
  run(input: ChannelInput<C>): Promise<MutationResult<ChannelOutput<C>>>;
  readonly pending: boolean;
  /** The last refusal in the core's words (timestamps in local time), for the form to show; null after success */
  readonly error: string | null;
  clearError(): void;
}

/**
 * A channel call whose refusal the form shows itself (sign-in, decisions): no notification on top of it. A failure
 * that means the workstation session is locked or gone still re-reads the auth state, as every other call does. A
 * success refreshes the reads the call changes (api/invalidation.ts), exactly as `useNexisMutation` does.
 */
export function useInlineCall<C extends Channel>(channel: C): InlineCall<C> {
  const { refresh } = useAuth();
  const queryClient = useQueryClient();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const run = useCallback(
    async (input: ChannelInput<C>): Promise<MutationResult<ChannelOutput<C>>> => {
      setPending(true);
      setError(null);
      try {
        const value = await call(channel, input);
        await Promise.all(
          invalidatedBy(channel).map((stale) => queryClient.invalidateQueries({ queryKey: channelKey(stale) })),
        );
        return { ok: true, value };
      } catch (failure) {
        setError(describeError(failure));
        const code = errorCode(failure);
        if (code !== null && SESSION_ERROR_CODES.has(code)) {
          void refresh();
        }
        return { ok: false, error: failure };
      } finally {
        setPending(false);
      }
    },
    [channel, refresh, queryClient],
  );
  const clearError = useCallback(() => setError(null), []);

  return { run, pending, error, clearError };
}
