import { useCallback, useState } from 'react';
import type { Channel, ChannelInput, ChannelOutput } from '../../../../shared/ipc/contract';
import { call } from '../../api/nexis';
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
 * that means the workstation session is locked or gone still re-reads the auth state, as every other call does.
 */
export function useInlineCall<C extends Channel>(channel: C): InlineCall<C> {
  const { refresh } = useAuth();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const run = useCallback(
    async (input: ChannelInput<C>): Promise<MutationResult<ChannelOutput<C>>> => {
      setPending(true);
      setError(null);
      try {
        return { ok: true, value: await call(channel, input) };
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
    [channel, refresh],
  );
  const clearError = useCallback(() => setError(null), []);

  return { run, pending, error, clearError };
}
