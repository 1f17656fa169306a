import { useCallback } from 'react';
import { useAuth } from '../../auth/auth-context';
import { errorCode, notifyError, SESSION_ERROR_CODES } from '../../errors';

/**
 * Shows a failed call as a red notification with the core's message and, when the failure means the session is
 * locked or gone, re-reads the auth state so the gate shows the right screen.
 */
export function useReportError(): (error: unknown, title?: string) => void {
  const { refresh } = useAuth();
  return useCallback(
    (error: unknown, title?: string) => {
      notifyError(error, title);
      const code = errorCode(error);
      if (code !== null && SESSION_ERROR_CODES.has(code)) {
        void refresh();
      }
    },
    [refresh],
  );
}
