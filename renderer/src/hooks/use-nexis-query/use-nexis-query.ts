import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useCallback, useEffect } from 'react';
import type { Channel, ChannelInput, ChannelOutput } from '../../../../shared/ipc/contract';
import { call } from '../../api/nexis';
import { nexisQueryKey } from '../../api/query-keys';
import { useReportError } from '../use-report-error/use-report-error';

export interface NexisQuery<C extends Channel> {
  /** The latest answer; kept while a newer request is in flight so pages do not flicker. */
  readonly data: ChannelOutput<C> | null;
  /** The last failure, until a later read succeeds; null when there is none. */
  readonly error: unknown;
  /** A read is in flight (first load, refresh, or a refetch after a write invalidated this channel). */
  readonly loading: boolean;
  refresh(): void;
}

/**
 * Failures already shown. Every screen reading the same channel and input sees the same error object of the shared
 * query, so the officer gets one notification per failed read, not one per component.
 */
const reported = new WeakSet<object>();

/**
 * Reads a channel through the shared query cache (keyed by channel and input, compared by value): screens asking
 * the same thing share one request and one answer, and writes made with useNexisMutation refetch what they change
 * (see api/invalidation.ts). Failures are reported as notifications.
 */
export function useNexisQuery<C extends Channel>(channel: C, input: ChannelInput<C>, enabled = true): NexisQuery<C> {
  const reportError = useReportError();
  const query = useQuery({
    queryKey: nexisQueryKey(channel, input),
    queryFn: () => call(channel, input),
    enabled,
    placeholderData: keepPreviousData,
  });
  const { error, refetch } = query;

  useEffect(() => {
    if (error !== null && !reported.has(error)) {
      reported.add(error);
      reportError(error);
    }
  }, [error, reportError]);

  const refresh = useCallback(() => {
    if (enabled) {
      void refetch();
    }
  }, [enabled, refetch]);

  return {
    data: query.data ?? null,
    error,
    loading: enabled && query.isFetching,
    refresh,
  };
}
