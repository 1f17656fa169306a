import { useCallback } from 'react';
import { call } from '../api/nexis';
import { errorCode, notifyError, notifySuccess } from '../errors';
import { useAuth } from './auth-context';

export interface SessionActions {
  signOut(): Promise<void>;
  lock(): Promise<void>;
}

/** Sign-out and manual lock, shared by the header and the pre-workstation screens. */
export function useSessionActions(): SessionActions {
  const { setSession, markLocked, refresh } = useAuth();

  const signOut = useCallback(async () => {
    try {
      await call('auth:signOut', {});
      notifySuccess('You have been signed out.', 'Signed out');
      setSession(null);
    } catch (error) {
      if (errorCode(error) === 'NOT_SIGNED_IN') {
        setSession(null);
        return;
      }
      notifyError(error);
      await refresh();
    }
  }, [setSession, refresh]);

  const lock = useCallback(async () => {
    try {
      await call('auth:lock', {});
      markLocked();
    } catch (error) {
      notifyError(error);
      await refresh();
    }
  }, [markLocked, refresh]);

  return { signOut, lock };
}
