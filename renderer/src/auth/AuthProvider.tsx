/** Holds the signed-in state for the whole renderer: reads `auth:status` on start and follows the core's pushes. */
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { AuthStatus, SessionView } from '../../../shared/ipc/auth';
import { call, subscribe } from '../api/nexis';
import { describeError, notifySuccess } from '../errors';
import { notifications } from '@mantine/notifications';
import { AuthContext, phaseOf, type AuthContextValue } from './auth-context';
import { useActivityHeartbeat } from './use-activity-heartbeat';

export interface AuthProviderProps {
  children: ReactNode;
}

export function AuthProvider({ children }: AuthProviderProps) {
  const [status, setStatus] = useState<AuthStatus | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  const refresh = useCallback(async (): Promise<void> => {
    try {
      const next = await call('auth:status', {});
      setStatus(next);
      setLoadError(null);
    } catch (error) {
      setLoadError(describeError(error));
    }
  }, []);

  const setSession = useCallback((session: SessionView | null): void => {
    setStatus((previous) => (previous ? { ...previous, setupRequired: false, session } : previous));
  }, []);

  const markLocked = useCallback((): void => {
    setStatus((previous) =>
      previous?.session ? { ...previous, session: { ...previous.session, locked: true } } : previous,
    );
  }, []);

  useEffect(() => {
    let cancelled = false;
    call('auth:status', {}).then(
      (next) => {
        if (!cancelled) {
          setStatus(next);
        }
      },
      (error: unknown) => {
        if (!cancelled) {
          setLoadError(describeError(error));
        }
      },
    );
    return () => {
      cancelled = true;
    };
  }, []);

  useEffect(() => {
    const offLocked = subscribe('session:locked', () => markLocked());
    const offEnded = subscribe('session:ended', (payload) => {
      setSession(null);
      notifications.clean();
      if (payload.reason === 'account-disabled') {
        notifications.show({
          color: 'red',
          title: 'Signed out',
          message: 'Your account was disabled by an administrator.',
          autoClose: false,
          withBorder: true,
        });
      } else {
        notifySuccess('You have been signed out.', 'Signed out');
      }
    });
    return () => {
      offLocked();
      offEnded();
    };
  }, [markLocked, setSession]);

  const phase = status === null && loadError !== null ? 'unavailable' : phaseOf(status);
  const session = status?.session ?? null;
  const onSessionProblem = useCallback(() => void refresh(), [refresh]);
  useActivityHeartbeat(
    phase === 'ready' || phase === 'change-password',
    session?.idleTimeoutMs ?? 60_000,
    onSessionProblem,
  );

  const value = useMemo<AuthContextValue>(
    () => ({ phase, status, session, loadError, refresh, setSession, markLocked }),
    [phase, status, session, loadError, refresh, setSession, markLocked],
  );
  return <AuthContext value={value}>{children}</AuthContext>;
}
