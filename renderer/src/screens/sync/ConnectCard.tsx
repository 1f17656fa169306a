import { Button, Card, Group, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { consoleChannels } from '../../../../shared/ipc/sync';
import { fromSchema } from '../../components/form-rules';
import { IconLock } from '../../components/icons';
import { useNexisMutation } from '../../hooks';
import { DEFAULT_SERVER_URL } from './EnrolForm';

const connectInput = consoleChannels['console:connect'].input.shape;

interface ConnectValues {
  adminToken: string;
  serverUrl: string;
}

export interface ConnectCardProps {
  /** The workstation is not enrolled, so the server's address must be typed */
  needsServerUrl: boolean;
  onConnected(): void;
}

/** The admin API token for this session: the core checks it against the central API and keeps it in memory only. */
export function ConnectCard({ needsServerUrl, onConnected }: ConnectCardProps) {
  const form = useForm<ConnectValues>({
    initialValues: { adminToken: '', serverUrl: DEFAULT_SERVER_URL },
    validate: {
      adminToken: (value) =>
        connectInput.adminToken.safeParse(value).success ? null : 'An admin API token has 32 to 256 characters',
      serverUrl: (value) => (needsServerUrl ? fromSchema(connectInput.serverUrl.unwrap())(value.trim()) : null),
    },
  });
  const connect = useNexisMutation('console:connect', {
    successMessage: (connection) => `Connected to the central console at ${connection.serverUrl ?? 'the central API'}.`,
    onError: () => form.setFieldValue('adminToken', ''),
  });

  const submit = form.onSubmit(async (values) => {
    const result = await connect.run({
      adminToken: values.adminToken.trim(),
      ...(needsServerUrl ? { serverUrl: values.serverUrl.trim() } : {}),
    });
    if (result.ok) {
      form.reset();
      onConnected();
    }
  });

  return (
    <Card component="section" aria-labelledby="console-connect-title">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <div>
            <Title order={3} size="h4" id="console-connect-title">
              Connect to the central console
            </Title>
            <Text size="sm" c="dimmed">
              The bank-wide picture comes from the central API's admin interface, which needs its admin API token.
            </Text>
          </div>
          <Group align="flex-start" gap="md" grow preventGrowOverflow={false} wrap="wrap">
            <PasswordInput
              label="Admin API token"
              description="Given by the operator of the central API"
              autoComplete="off"
              withAsterisk
              miw={280}
              {...form.getInputProps('adminToken')}
            />
            {needsServerUrl ? (
              <TextInput
                label="Central server URL"
                description="This workstation is not enrolled, so say where the central API is"
                withAsterisk
                miw={240}
                {...form.getInputProps('serverUrl')}
              />
            ) : null}
          </Group>
          <Text size="xs" c="dimmed">
            The token stays in this workstation's memory for your session only: it is never saved, and signing out or
            Disconnect forgets it.
          </Text>
          <Group>
            <Button type="submit" leftSection={<IconLock size={16} />} loading={connect.pending}>
              Connect
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
