import { Box, Center, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Brand } from '../brand';
import { ThemeToggle } from '../theme-toggle';

export interface AuthLayoutProps {
  /** Screen title, the page's h1 */
  title: string;
  /** One or two sentences under the title */
  description?: ReactNode;
  /** Shown small under the card (e.g. the device id) */
  footer?: ReactNode;
  /** Card width in px @default 420 */
  width?: number;
  children: ReactNode;
}

/** Frame of the screens shown before the workstation opens: first run, sign-in, locked, password change. */
export function AuthLayout({ title, description, footer, width = 420, children }: AuthLayoutProps) {
  return (
    <Box
      component="main"
      mih="100vh"
      bg="light-dark(var(--mantine-color-gray-0), var(--mantine-color-dark-8))"
      style={{ display: 'flex', flexDirection: 'column' }}
    >
      <Group justify="space-between" px="xl" py="md">
        <Brand />
        <ThemeToggle />
      </Group>
      <Center style={{ flex: 1 }} px="md" pb={80}>
        <Stack w={width} maw="100%" gap="md">
          <Paper withBorder shadow="sm" radius="md" p="xl">
            <Stack gap="lg">
              <Stack gap={6}>
                <Title order={1} size="h2">
                  {title}
                </Title>
                {description ? (
                  <Text size="sm" c="dimmed">
                    {description}
                  </Text>
                ) : null}
              </Stack>
              {children}
            </Stack>
          </Paper>
          {footer ? (
            <Text size="xs" c="dimmed" ta="center">
              {footer}
            </Text>
          ) : null}
        </Stack>
      </Center>
    </Box>
  );
}
