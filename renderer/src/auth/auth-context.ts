import { createContext, useContext } from 'react';
import type { AuthStatus, SessionView } from '../../../shared/ipc/auth';

/** Which screen the auth gate shows. */
export type AuthPhase = 'loading' | 'unavailable' | 'first-run' | 'sign-in' | 'locked' | 'change-password' | 'ready';

export interface AuthContextValue {
  readonly phase: AuthPhase;
  readonly status: AuthStatus | null;
  /** Present once signed in (also while locked or while a password change is pending). */
  readonly session: SessionView | null;
  /** Why the core could not be reached, when phase is 'unavailable'. */
  readonly loadError: string | null;
  /** Re-reads `auth:status` (after a session error, an event, or a retry). */
  refresh(): Promise<void>;
  /** Records the session a successful setup, sign-in, unlock or password change returned; null after sign-out. */
  setSession(session: SessionView | null): void;
  /** Marks the session locked at once (manual lock, or the core's push). */
  markLocked(): void;
}

export const AuthContext = createContext<AuthContextValue | null>(null);

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) {
    throw new Error('useAuth must be used inside <AuthProvider>');
  }
  return value;
}

/** The signed-in session; only for components rendered behind the auth gate. */
export function useSession(): SessionView {
  const { session } = useAuth();
  if (!session) {
    throw new Error('useSession needs a signed-in officer');
  }
  return session;
}

export function phaseOf(status: AuthStatus | null): AuthPhase {
  if (!status) {
    return 'loading';
  }
  if (status.setupRequired) {
    return 'first-run';
  }
  if (!status.session) {
    return 'sign-in';
  }
  if (status.session.locked) {
    return 'locked';
  }
  return status.session.officer.mustChangePassword ? 'change-password' : 'ready';
}
