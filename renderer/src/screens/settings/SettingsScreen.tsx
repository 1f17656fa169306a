/** Workstation settings for administrators: automatic lock and encrypted backups. */
import { SimpleGrid, Stack } from '@mantine/core';
import { ScreenHeader } from '../../components/screen-header';
import { BackupCard } from './BackupCard';
import { IdleLockCard } from './IdleLockCard';

export function SettingsScreen() {
  return (
    <Stack gap={0}>
      <ScreenHeader
        title="Settings"
        description="Settings of this workstation. Every change is recorded in the audit trail."
      />
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg" style={{ alignItems: 'start' }}>
        <IdleLockCard />
        <BackupCard />
      </SimpleGrid>
    </Stack>
  );
}
