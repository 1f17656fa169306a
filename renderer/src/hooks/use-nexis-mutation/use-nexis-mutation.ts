import { useCallback, useEffect, useRef, useState } from 'react';
import type { Channel, ChannelInput, ChannelOutput } from '../../../../shared/ipc/contract';
import { call } from '../../api/nexis';
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
  run(input: ChannelInput<C>): Promise<MutationResult<ChannelOutput<C>>>;
  readonly pending: boolean;
}

/** Calls a channel on demand (a button, a form); every failure is shown with the core's message. */
export function useNexisMutation<C extends Channel>(
  channel: C,
  options: NexisMutationOptions<C> = {},
): NexisMutation<C> {
  const [pending, setPending] = useState(false);
  const reportError = useReportError();
  const optionsRef = useRef(options);

  useEffect(() => {
    optionsRef.current = options;
  });

  const run = useCallback(
    async (input: ChannelInput<C>): Promise<MutationResult<ChannelOutput<C>>> => {
      setPending(true);
      try {
        const value = await call(channel, input);
        const { successMessage } = optionsRef.current;
        if (successMessage !== undefined) {
          notifySuccess(typeof successMessage === 'function' ? successMessage(value) : successMessage);
        }
        return { ok: true, value };
      } catch (error) {
        reportError(error);
        optionsRef.current.onError?.(error);
        return { ok: false, error };
      } finally {
        setPending(false);
      }
    },
    [channel, reportError],
  );

  return { run, pending };
}
