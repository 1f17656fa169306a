export { AuthProvider, type AuthProviderProps } from './AuthProvider';
export { useAuth, useSession, type AuthContextValue, type AuthPhase } from './auth-context';
export { canCall } from './permissions';
export { useSessionActions, type SessionActions } from './use-session-actions';
export { AuthGate } from './AuthGate';
