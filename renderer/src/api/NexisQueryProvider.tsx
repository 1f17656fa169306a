/**
 * Provides the query cache, one per signed-in session: when the officer signs out or another officer signs in, the
 * old cache (applicants, decisions, audit pages read under the previous session's rights) is dropped with its client,
 * so nothing read by one officer is ever shown to the next, even for the moment before a refetch.
 */
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import { useAuth } from '../auth/auth-context';
import { createNexisQueryClient } from './query-client';

export interface NexisQueryProviderProps {
  children: ReactNode;
  /** A client to use instead of a fresh one per session (tests that inspect the cache). */
  client?: QueryClient;
}

export function NexisQueryProvider({ children, client: fixedClient }: NexisQueryProviderProps) {
  const { session } = useAuth();
  // A lock keeps the session (and the screens mounted under the Locked screen), so it keeps the cache too.
  const scope = session ? `${session.officer.id}@${session.signedInAt}` : 'none';
  const [scoped, setScoped] = useState(() => ({ scope, client: createNexisQueryClient() }));
  if (scoped.scope !== scope) {
    setScoped({ scope, client: createNexisQueryClient() });
  }
  const client = fixedClient ?? scoped.client;

  useEffect(() => () => client.clear(), [client]);

  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
