/** Workstation settings for administrators: automatic lock, encrypted and recovery backups and the data controller. */
import { SimpleGrid, Stack } from '@mantine/core';
import { ScreenHeader } from '../../components/screen-header';
import { BackupCard } from './BackupCard';
import { IdleLockCard } from './IdleLockCard';
import { OrganisationCard } from './OrganisationCard';
import { RecoveryCard } from './RecoveryCard';

export function SettingsScreen() {
  return (
    <Stack gap={0}>
      <ScreenHeader
        title="Settings"
        description="Settings of this workstation. Every change is recorded in the audit trail."
      />
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg" style={{ alignItems: 'start' }}>
        <Stack gap="lg">
          <IdleLockCard />
          <BackupCard />
          <RecoveryCard />
        </Stack>
        <OrganisationCard />
      </SimpleGrid>
    </Stack>
  );
}
