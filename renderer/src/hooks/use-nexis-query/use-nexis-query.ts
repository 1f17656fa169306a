import { useCallback, useEffect, useState } from 'react';
import type { Channel, ChannelInput, ChannelOutput } from '../../../../shared/ipc/contract';
import { call } from '../../api/nexis';
import { useReportError } from '../use-report-error/use-report-error';

export interface NexisQuery<C extends Channel> {
  /** The latest answer; kept while a newer request is in flight so pages do not flicker. */
  readonly data: ChannelOutput<C> | null;
  readonly error: unknown;
  readonly loading: boolean;
  refresh(): void;
}

interface Completed<T> {
  readonly key: string;
  readonly data: T | null;
  readonly error: unknown;
}

/** Reads a channel whenever its input changes (compared by value); failures are reported as notifications. */
export function useNexisQuery<C extends Channel>(channel: C, input: ChannelInput<C>, enabled = true): NexisQuery<C> {
  const inputKey = JSON.stringify(input);
  const [version, setVersion] = useState(0);
  const [completed, setCompleted] = useState<Completed<ChannelOutput<C>>>({ key: '', data: null, error: null });
  const reportError = useReportError();
  const requestKey = `${channel}|${inputKey}|${version}`;

  useEffect(() => {
    if (!enabled) {
      return undefined;
    }
    let cancelled = false;
    call(channel, JSON.parse(inputKey) as ChannelInput<C>).then(
      (data) => {
        if (!cancelled) {
          setCompleted({ key: requestKey, data, error: null });
        }
      },
      (error: unknown) => {
        if (!cancelled) {
          setCompleted((previous) => ({ key: requestKey, data: previous.data, error }));
          reportError(error);
        }
      },
    );
    return () => {
      cancelled = true;
    };
  }, [channel, inputKey, requestKey, enabled, reportError]);

  const refresh = useCallback(() => setVersion((v) => v + 1), []);
  return {
    data: completed.data,
    error: completed.error,
    loading: enabled && completed.key !== requestKey,
    refresh,
  };
}
