import { useDocumentVisibility, useIdle } from '@mantine/hooks';
import { useEffect, useRef } from 'react';
import { useAuth } from '../../auth/auth-context';
import { errorCode, SESSION_ERROR_CODES } from '../../errors';

/** No keyboard or pointer input for this long pauses polling. */
export const POLLING_IDLE_PAUSE_MS = 30_000;

/**
 * Calls `refresh` every `intervalMs` while the screen is in use. Channels marked `polled` in the contract do not
 * count as officer activity, so polling never holds off the idle lock; it still pauses once nobody has touched
 * keyboard or pointer for POLLING_IDLE_PAUSE_MS, while the session is locked and while the window is hidden (no load
 * on the core or the central server for a screen nobody looks at), and refreshes at once when it resumes.
 */
export function usePolling(refresh: () => void, intervalMs: number, enabled = true): void {
  const { phase } = useAuth();
  const idle = useIdle(POLLING_IDLE_PAUSE_MS, { initialState: false });
  const visibility = useDocumentVisibility();
  const active = enabled && phase === 'ready' && !idle && visibility === 'visible';
  const paused = useRef(false);

  useEffect(() => {
    if (!active) {
      paused.current = true;
      return undefined;
    }
    if (paused.current) {
      paused.current = false;
      refresh();
    }
    const timer = window.setInterval(refresh, intervalMs);
    return () => window.clearInterval(timer);
  }, [active, refresh, intervalMs]);
}

/**
 * Whether a failed read should stop polling until the officer refreshes: yes, so the same failure is not announced
 * every few seconds; but not for a session error (the lock screen shows, and polling resumes after the unlock).
 */
export function stopsPolling(error: unknown): boolean {
  if (error === null || error === undefined) {
    return false;
  }
  const code = errorCode(error);
  return code === null || !SESSION_ERROR_CODES.has(code);
}
