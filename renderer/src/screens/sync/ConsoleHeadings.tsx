import { Group, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** The heading of the bank-wide half of the sync console, with the server it reads from. */
export function SectionHeader({ serverUrl, actions }: { serverUrl: string | null; actions?: ReactNode }) {
  return (
    <Group justify="space-between" align="flex-end" wrap="wrap" gap="md">
      <Stack gap={2}>
        <Title order={2} size="h3" id="central-title">
          Bank-wide (central)
        </Title>
        <Text size="sm" c="dimmed">
          {serverUrl === null ? (
            'Every branch workstation as the central API sees it.'
          ) : (
            <>
              Every branch workstation as the central API at{' '}
              <Text span ff="monospace" size="sm">
                {serverUrl}
              </Text>{' '}
              sees it.
            </>
          )}
        </Text>
      </Stack>
      {actions ? (
        <Group gap="sm" wrap="wrap">
          {actions}
        </Group>
      ) : null}
    </Group>
  );
}

/** A console card's title (the card's accessible name through `id`), description and actions. */
export function CardTitle({
  id,
  title,
  description,
  actions,
}: {
  id: string;
  title: string;
  description: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
      <div style={{ flex: '1 1 320px' }}>
        <Title order={3} size="h4" id={id}>
          {title}
        </Title>
        <Text size="sm" c="dimmed">
          {description}
        </Text>
      </div>
      {actions}
    </Group>
  );
}
