import { Badge, Button, Group, Stack, Text } from '@mantine/core';
import type { ConsoleConnection } from '../../../../shared/ipc/sync';
import { ADMIN_ROLE_LABELS } from '../../../../shared/sync/admin-auth';
import { IconSignOut } from '../../components/icons';

export interface SignedInAsProps {
  admin: NonNullable<ConsoleConnection['admin']>;
  signingOut: boolean;
  onSignOut(): void;
}

/** Who is signed in to the central server, with which roles, and the way out. */
export function SignedInAs({ admin, signingOut, onSignOut }: SignedInAsProps) {
  return (
    <Group gap="sm" wrap="nowrap" data-testid="console-admin" data-username={admin.username}>
      <Stack gap={4} align="flex-end">
        <Text size="sm" lh={1.2}>
          Signed in as <strong>{admin.username}</strong>
        </Text>
        <Group gap={4} justify="flex-end" wrap="wrap" maw={420}>
          {admin.roles.map((role) => (
            <Badge key={role} size="xs" variant="light" color="gray" data-role={role}>
              {ADMIN_ROLE_LABELS[role]}
            </Badge>
          ))}
        </Group>
      </Stack>
      <Button
        variant="default"
        leftSection={<IconSignOut size={16} />}
        loading={signingOut}
        onClick={onSignOut}
        aria-label="Sign out of the central server"
      >
        Sign out
      </Button>
    </Group>
  );
}
