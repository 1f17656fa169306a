/**
 * Keeps an active officer's session from idle-locking while they work without calling the core (typing a long
 * form): keyboard and pointer activity is reported through `auth:activity`, at most once every
 * `idleTimeoutMs / 3` (capped at a minute). If the core answers that the session is already locked, or the session
 * is gone, the auth state is re-read so the gate shows the right screen.
 */
import { useEffect, useRef } from 'react';
import { call } from '../api/nexis';
import { errorCode, SESSION_ERROR_CODES } from '../errors';

const MAX_INTERVAL_MS = 60_000;
const ACTIVITY_EVENTS = ['keydown', 'pointerdown', 'wheel', 'input'] as const;

export function useActivityHeartbeat(active: boolean, idleTimeoutMs: number, onSessionProblem: () => void): void {
  const lastSent = useRef(0);
  const onProblem = useRef(onSessionProblem);

  useEffect(() => {
    onProblem.current = onSessionProblem;
  }, [onSessionProblem]);

  useEffect(() => {
    if (!active) {
      return undefined;
    }
    const interval = Math.min(MAX_INTERVAL_MS, Math.max(1000, Math.floor(idleTimeoutMs / 3)));
    lastSent.current = Date.now();
    const onActivity = (): void => {
      const now = Date.now();
      if (now - lastSent.current < interval) {
        return;
      }
      lastSent.current = now;
      call('auth:activity', {}).then(
        (answer) => {
          if (answer.locked) {
            onProblem.current();
          }
        },
        (error: unknown) => {
          const code = errorCode(error);
          if (code !== null && SESSION_ERROR_CODES.has(code)) {
            onProblem.current();
          }
        },
      );
    };
    for (const name of ACTIVITY_EVENTS) {
      window.addEventListener(name, onActivity, { capture: true, passive: true });
    }
    return () => {
      for (const name of ACTIVITY_EVENTS) {
        window.removeEventListener(name, onActivity, { capture: true });
      }
    };
  }, [active, idleTimeoutMs]);
}
