import { Group, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

export interface ScreenHeaderProps {
  /** The screen's h1 */
  title: string;
  description?: ReactNode;
  /** Buttons on the right (refresh, verify…) */
  actions?: ReactNode;
}

/** Title row of a workstation screen. */
export function ScreenHeader({ title, description, actions }: ScreenHeaderProps) {
  return (
    <Group justify="space-between" align="flex-end" wrap="wrap" gap="md" mb="lg">
      <Stack gap={4}>
        <Title order={1} size="h2">
          {title}
        </Title>
        {description ? (
          <Text size="sm" c="dimmed">
            {description}
          </Text>
        ) : null}
      </Stack>
      {actions ? <Group gap="sm">{actions}</Group> : null}
    </Group>
  );
}
