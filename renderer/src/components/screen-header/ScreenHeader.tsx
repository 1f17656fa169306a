import { Group, Stack, Text, Title } from '@mantine/core';
import { useEffect, useRef, type ReactNode } from 'react';

export interface ScreenHeaderProps {
  /** The screen's h1 */
  title: string;
  /** Smaller text inside the h1 after the title, e.g. the applicant id after the masked name. */
  secondary?: string;
  description?: ReactNode;
  /** Buttons on the right (refresh, verify…) */
  actions?: ReactNode;
}

/**
 * Title row of a workstation screen. A new screen takes the focus to its heading (WCAG 2.4.3): a screen reader then
 * announces where the officer is, and Tab continues from the top of the new screen instead of from the page body.
 */
export function ScreenHeader({ title, secondary, description, actions }: ScreenHeaderProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    // Only on mount: a screen whose title changes (loaded data) keeps the officer where they are.
    heading.current?.focus({ preventScroll: true });
  }, []);
  return (
    <Group justify="space-between" align="flex-end" wrap="wrap" gap="md" mb="lg">
      <Stack gap={4}>
        <Title order={1} size="h2" ref={heading} tabIndex={-1} style={{ outline: 'none' }}>
          {title}
          {/* The space keeps the two apart in the heading's accessible name. */}
          {secondary ? ' ' : null}
          {secondary ? (
            <Text span size="md" fw={500} c="dimmed" ff="monospace" ml="sm">
              {secondary}
            </Text>
          ) : null}
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
