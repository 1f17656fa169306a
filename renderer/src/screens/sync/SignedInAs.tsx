import { Badge, Button, Group, Paper, Text } from '@mantine/core';
import type { ConsoleConnection } from '../../../../shared/ipc/sync';
import { ADMIN_ROLE_LABELS } from '../../../../shared/sync/admin-auth';
import { IconLock, IconSignOut } from '../../components/icons';

export interface SignedInAsProps {
  admin: NonNullable<ConsoleConnection['admin']>;
  signingOut: boolean;
  onSignOut(): void;
}

/** Who is signed in to the central server, with which roles, and the way out. */
export function SignedInAs({ admin, signingOut, onSignOut }: SignedInAsProps) {
  return (
    <Paper withBorder radius="md" px="md" py="xs" data-testid="console-admin" data-username={admin.username}>
      <Group justify="space-between" wrap="wrap" gap="sm">
        <Group gap="xs" wrap="wrap">
          <IconLock size={16} />
          <Text size="sm">
            Signed in as <strong>{admin.username}</strong>
          </Text>
          <Group gap={6} wrap="wrap">
            {admin.roles.map((role) => (
              <Badge key={role} size="sm" variant="light" color="gray" data-role={role}>
                {ADMIN_ROLE_LABELS[role]}
              </Badge>
            ))}
          </Group>
        </Group>
        <Button
          size="xs"
          variant="default"
          leftSection={<IconSignOut size={14} />}
          loading={signingOut}
          onClick={onSignOut}
          aria-label="Sign out of the central server"
        >
          Sign out
        </Button>
      </Group>
    </Paper>
  );
}
