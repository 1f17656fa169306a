import { Badge, Card, Group, Text, ThemeIcon, type MantineColor } from '@mantine/core';
import type { ReactNode } from 'react';

export interface StatusCardProps {
  title: string;
  icon: ReactNode;
  /** Short state word shown as a badge */
  state: string;
  /** Badge colour: green good, gray not set up, red broken */
  color: MantineColor;
  children: ReactNode;
}

/** One subsystem on the status panel; `data-state` carries the state for styling and tests. */
export function StatusCard({ title, icon, state, color, children }: StatusCardProps) {
  return (
    <Card component="section" aria-label={title} data-state={state} h="100%">
      <Group justify="space-between" mb="md" wrap="nowrap">
        <Group gap="sm" wrap="nowrap">
          <ThemeIcon variant="light" size={36} radius="md" aria-hidden="true">
            {icon}
          </ThemeIcon>
          <Text component="h2" fw={600} size="lg">
            {title}
          </Text>
        </Group>
        <Badge color={color} variant={color === 'gray' ? 'default' : 'light'} size="lg" radius="sm">
          {state}
        </Badge>
      </Group>
      {children}
    </Card>
  );
}
