/** The renderer's one query cache over `window.nexis`. */
import { QueryClient } from '@tanstack/react-query';

export function createNexisQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // The core is local and its refusals are deterministic (forbidden, not found, locked): a retry only delays
        // the message the officer needs to see.
        retry: false,
        // Reads are re-done when a screen mounts, when a write invalidates them, and by screens that poll; a window
        // focus is none of those, and refetching every screen then would hit the central server for nothing.
        refetchOnWindowFocus: false,
        refetchOnReconnect: false,
        staleTime: 0,
      },
      mutations: { retry: false },
    },
  });
}
