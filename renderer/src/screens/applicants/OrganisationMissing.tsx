/**
 * Registration signs a consent receipt that names the bank as data controller, so it cannot start before the
 * controller details are entered. Said when the officer starts a new applicant, not at the last click.
 */
import { Alert, Button, Stack, Text } from '@mantine/core';
import { canCall, useSession } from '../../auth';
import { IconAlert, IconSettings } from '../../components/icons';
import { useShellNavigation } from '../../shell/shell-navigation';

export function OrganisationMissing() {
  const { officer } = useSession();
  const { available, navigate } = useShellNavigation();
  const canSet = canCall(officer.role, 'system:updateOrganisation') && available.includes('settings');
  return (
    <Alert
      color="yellow"
      variant="light"
      icon={<IconAlert />}
      title="The bank's controller details are missing"
      data-testid="organisation-missing"
    >
      <Stack gap="sm">
        <Text size="sm">
          Applicants cannot be registered yet: the consent receipt must name the bank as data controller (its name,
          contact email and phone, postal address, jurisdiction and privacy policy address), and these have not been
          entered. They are set in Settings, under “Organisation (data controller)”.
        </Text>
        {canSet ? (
          <Button
            variant="light"
            leftSection={<IconSettings size={16} />}
            onClick={() => navigate('settings')}
            style={{ alignSelf: 'flex-start' }}
          >
            Open Settings
          </Button>
        ) : (
          <Text size="sm" fw={600}>
            Ask your administrator to enter them; then start the registration again.
          </Text>
        )}
      </Stack>
    </Alert>
  );
}
