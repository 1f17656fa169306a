import { Group, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconAudit } from '../icons';

export interface BrandProps {
  /** Shows the "Lender Workstation" line under the name @default true */
  withTagline?: boolean;
}

/** The product mark: shield icon and name. */
export function Brand({ withTagline = true }: BrandProps) {
  return (
    <Group gap="sm" wrap="nowrap">
      <ThemeIcon size={34} radius="md" variant="filled" aria-hidden="true">
        <IconAudit size={20} />
      </ThemeIcon>
      <Stack gap={0}>
        <Text fw={700} size="lg" lh={1.1} style={{ letterSpacing: '0.08em' }}>
          NEXIS
        </Text>
        {withTagline ? (
          <Text size="xs" c="dimmed" lh={1.2}>
            Lender Workstation
          </Text>
        ) : null}
      </Stack>
    </Group>
  );
}
