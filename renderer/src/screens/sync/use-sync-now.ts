import type { SyncStatusView } from '../../../../shared/ipc/sync';
import { ERROR_CODES, type ErrorCode } from '../../../../shared/ipc/result';
import { NexisCallError } from '../../api/nexis';
import { notifyError, notifySuccess } from '../../errors';
import { useNexisMutation } from '../../hooks';
import { plural } from './sync-labels';

function asErrorCode(code: string): ErrorCode {
  return (ERROR_CODES as readonly string[]).includes(code) ? (code as ErrorCode) : 'CENTRAL_UNREACHABLE';
}

/**
 * `sync:now` with its outcome told: the call succeeds even when the central API does not (the answer carries the
 * error, and work goes on offline), so a failed round is shown as an error here, not as "done". The call refreshes
 * this workstation's cached reads itself (renderer/src/api/invalidation.ts); `onDone` is for reads it deliberately
 * leaves alone, such as the central overview.
 */
export function useSyncNow(onDone?: (status: SyncStatusView) => void): { run(): Promise<void>; pending: boolean } {
  const mutation = useNexisMutation('sync:now');
  const run = async (): Promise<void> => {
    const result = await mutation.run({});
    if (!result.ok) {
      return;
    }
    const status = result.value;
    onDone?.(status);
    if (status.revoked) {
      notifyError(new NexisCallError('CENTRAL_REFUSED', status.detail), 'Workstation revoked');
    } else if (status.state === 'error') {
      const code = asErrorCode(status.lastError?.code ?? 'CENTRAL_UNREACHABLE');
      notifyError(new NexisCallError(code, status.lastError?.message ?? status.detail), 'Sync failed');
    } else if (status.enrolled) {
      notifySuccess(
        status.backlog === 0
          ? 'Sync finished: every audit entry is acknowledged by the central API.'
          : `Sync finished: ${plural(status.backlog, 'entry', 'entries')} still waiting.`,
      );
    }
  };
  return { run, pending: mutation.pending };
}
