import { AppShell, Badge, Button, Divider, Group, Stack, Text } from '@mantine/core';
import { ROLE_LABELS } from '../../../shared/domain/roles';
import { useAuth, useSession, useSessionActions } from '../auth';
import { Brand } from '../components/brand';
import { IconLock, IconSignOut } from '../components/icons';
import { ThemeToggle } from '../components/theme-toggle';

export function ShellHeader() {
  const { officer } = useSession();
  const { status } = useAuth();
  const { lock, signOut } = useSessionActions();
  return (
    <AppShell.Header px="md" className="nexis-no-print">
      <Group h="100%" justify="space-between" wrap="nowrap">
        <Group gap="lg" wrap="nowrap">
          <Brand />
          {status ? (
            <Text size="xs" c="dimmed" ff="monospace" visibleFrom="md" title="Device id">
              Device {status.deviceId}
            </Text>
          ) : null}
        </Group>
        <Group gap="md" wrap="nowrap">
          <Stack gap={0} align="flex-end" data-testid="signed-in-officer">
            <Text size="sm" fw={600} lh={1.2}>
              {officer.displayName}
            </Text>
            <Group gap={6} wrap="nowrap">
              <Text size="xs" c="dimmed">
                {officer.username}
              </Text>
              <Badge size="xs" variant="light" data-role={officer.role}>
                {ROLE_LABELS[officer.role]}
              </Badge>
            </Group>
          </Stack>
          <Divider orientation="vertical" />
          <ThemeToggle />
          <Button variant="default" size="xs" leftSection={<IconLock size={16} />} onClick={() => void lock()}>
            Lock
          </Button>
          <Button
            variant="subtle"
            color="gray"
            size="xs"
            leftSection={<IconSignOut size={16} />}
            onClick={() => void signOut()}
          >
            Sign out
          </Button>
        </Group>
      </Group>
    </AppShell.Header>
  );
}
