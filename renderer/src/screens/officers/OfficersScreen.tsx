/** Officer accounts of this workstation: administrators manage them, supervisors and auditors read the list. */
import { Alert, Button, Card, Stack, Text } from '@mantine/core';
import { modals } from '@mantine/modals';
import { useState } from 'react';
import type { OfficerView } from '../../../../shared/ipc/auth';
import { canCall, useSession } from '../../auth';
import { IconPlus, IconRefresh } from '../../components/icons';
import { ScreenHeader } from '../../components/screen-header';
import { useNexisMutation, useNexisQuery } from '../../hooks';
import { CreateOfficerModal } from './CreateOfficerModal';
import { OfficersTable } from './OfficersTable';
import { ResetPasswordModal } from './ResetPasswordModal';

export function OfficersScreen() {
  const { officer: self } = useSession();
  const list = useNexisQuery('officers:list', {});
  const manageable = canCall(self.role, 'officers:create');
  const [creating, setCreating] = useState(false);
  const [resetting, setResetting] = useState<OfficerView | null>(null);
  const setStatus = useNexisMutation('officers:setStatus', {
    successMessage: (updated) =>
      `Account "${updated.username}" ${updated.status === 'active' ? 'enabled' : 'disabled'}.`,
  });

  // The list re-reads itself after each of these writes (api/invalidation.ts), so no refresh is passed around.
  const applyStatus = async (target: OfficerView, status: 'active' | 'disabled'): Promise<void> => {
    await setStatus.run({ officerId: target.id, status });
  };

  const toggleStatus = (target: OfficerView): void => {
    if (target.status === 'disabled') {
      void applyStatus(target, 'active');
      return;
    }
    modals.openConfirmModal({
      title: 'Disable this account?',
      centered: true,
      children: (
        <Text size="sm">
          {target.displayName} ({target.username}) will be signed out at once and cannot sign in until an administrator
          enables the account again.
        </Text>
      ),
      labels: { confirm: 'Disable account', cancel: 'Cancel' },
      confirmProps: { color: 'red' },
      onConfirm: () => void applyStatus(target, 'disabled'),
    });
  };

  return (
    <Stack gap="lg">
      <ScreenHeader
        title="Officers"
        description={
          manageable
            ? 'Accounts that may sign in on this workstation. New accounts get a temporary password.'
            : 'Accounts that may sign in on this workstation (read only for your role).'
        }
        actions={
          <>
            <Button
              variant="default"
              leftSection={<IconRefresh size={16} />}
              onClick={list.refresh}
              loading={list.loading}
            >
              Refresh
            </Button>
            {manageable ? (
              <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
                New officer
              </Button>
            ) : null}
          </>
        }
      />
      {manageable ? null : (
        <Alert variant="light" color="gray" title="Read only">
          Only an administrator can create, disable or reset accounts.
        </Alert>
      )}
      <Card p={0}>
        <OfficersTable
          officers={list.data ?? []}
          selfId={self.id}
          manageable={manageable}
          onToggleStatus={toggleStatus}
          onResetPassword={setResetting}
        />
      </Card>
      {manageable ? (
        <>
          <CreateOfficerModal opened={creating} onClose={() => setCreating(false)} />
          <ResetPasswordModal officer={resetting} onClose={() => setResetting(null)} />
        </>
      ) : null}
    </Stack>
  );
}
