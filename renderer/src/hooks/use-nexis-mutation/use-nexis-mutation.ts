import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef } from 'react';
import type { Channel, ChannelInput, ChannelOutput } from '../../../../shared/ipc/contract';
import { invalidatedBy } from '../../api/invalidation';
import { call } from '../../api/nexis';
import { channelKey } from '../../api/query-keys';
import { notifySuccess } from '../../errors';
import { useReportError } from '../use-report-error/use-report-error';

export type MutationResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

export interface NexisMutationOptions<C extends Channel> {
  /** Shown as a green notification after success. */
  successMessage?: string | ((value: ChannelOutput<C>) => string);
  /** Called after the red notification, e.g. to put the message under a form field. */
  onError?: (error: unknown) => void;
}

export interface NexisMutation<C extends Channel> {
  /**
   * Calls the channel; on success the reads it changes (api/invalidation.ts) are refetched before this resolves,
   * so a screen that goes on to read them sees the new state. Never throws: failures are shown and returned.
   */
  run(input: ChannelInput<C>): Promise<MutationResult<ChannelOutput<C>>>;
  readonly pending: boolean;
}

/** Calls a channel on demand (a button, a form); every failure is shown with the core's message. */
export function useNexisMutation<C extends Channel>(
  channel: C,
  options: NexisMutationOptions<C> = {},
): NexisMutation<C> {
  const queryClient = useQueryClient();
  const reportError = useReportError();
  const optionsRef = useRef(options);

  useEffect(() => {
    optionsRef.current = options;
  });

  const { mutateAsync, isPending } = useMutation({
    mutationFn: (input: ChannelInput<C>) => call(channel, input),
    onSuccess: () =>
      Promise.all(
        invalidatedBy(channel).map((stale) => queryClient.invalidateQueries({ queryKey: channelKey(stale) })),
      ),
  });

  const run = useCallback(
    async (input: ChannelInput<C>): Promise<MutationResult<ChannelOutput<C>>> => {
      try {
        const value = await mutateAsync(input);
        const { successMessage } = optionsRef.current;
        if (successMessage !== undefined) {
          notifySuccess(typeof successMessage === 'function' ? successMessage(value) : successMessage);
        }
        return { ok: true, value };
      } catch (error) {
        reportError(error);
        optionsRef.current.onError?.(error);
        return { ok: false, error };
      }
    },
    [mutateAsync, reportError],
  );

  return { run, pending: isPending };
}
