/** Central sign-in: a named administrator's user name, password and authenticator code; TOTP enrolment at first. */
import {
  Alert,
  Button,
  Card,
  Grid,
  Group,
  List,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { consoleChannels, type ConsoleConnection } from '../../../../shared/ipc/sync';
import { fromSchema, required } from '../../components/form-rules';
import { IconAlert, IconLock } from '../../components/icons';
import { describeError, notifySuccess } from '../../errors';
import { DEFAULT_SERVER_URL } from './EnrolForm';
import { TotpEnrolmentStep, type TotpEnrolment } from './TotpEnrolmentStep';
import { useInlineCall } from './use-inline-call';

const signInInput = consoleChannels['console:signIn'].input.shape;
/** The server's answer when an enrolled account signs in without a code: the code field says it, not an alert. */
const CODE_MISSING = /6-digit code/;

interface SignInValues {
  serverUrl: string;
  username: string;
  password: string;
  totp: string;
}

export interface SignInCardProps {
  /** The workstation is not enrolled, so the server's address must be typed */
  needsServerUrl: boolean;
  /** The server this workstation is enrolled with, signed in to when no address is typed */
  serverUrl: string | null;
  onConnected(): void;
}

function welcome(connection: ConsoleConnection): void {
  notifySuccess(
    `Signed in to ${connection.serverUrl ?? 'the central server'} as ${connection.admin?.username ?? 'an administrator'}.`,
    'Central console',
  );
}

function SignInForm({
  needsServerUrl,
  serverUrl,
  onConnected,
  onEnrolment,
}: SignInCardProps & { onEnrolment(enrolment: TotpEnrolment): void }) {
  const form = useForm<SignInValues>({
    initialValues: { serverUrl: DEFAULT_SERVER_URL, username: '', password: '', totp: '' },
    validate: {
      serverUrl: (value) => (needsServerUrl ? fromSchema(signInInput.serverUrl.unwrap())(value.trim()) : null),
      username: (value) => required('Your user name')(value) ?? fromSchema(signInInput.username)(value),
      password: required('The password'),
      totp: (value) => (value.trim() === '' ? null : fromSchema(signInInput.totp.unwrap())(value)),
    },
  });
  const signIn = useInlineCall('console:signIn');

  const submit = form.onSubmit(async (values) => {
    const username = values.username.trim().toLowerCase();
    const totp = values.totp.trim();
    const result = await signIn.run({
      username,
      password: values.password,
      totp,
      ...(needsServerUrl ? { serverUrl: values.serverUrl.trim() } : {}),
    });
    if (!result.ok) {
      // A code is used once; a missing code keeps the password so only the code is left to type.
      form.setFieldValue('totp', '');
      if (totp !== '' || !CODE_MISSING.test(describeError(result.error))) {
        form.setFieldValue('password', '');
      }
      return;
    }
    form.reset();
    if (result.value.status === 'totp-enrolment') {
      onEnrolment({ username, ...result.value });
      return;
    }
    welcome(result.value.connection);
    onConnected();
  });

  const codeMissing = signIn.error !== null && CODE_MISSING.test(signIn.error);

  return (
    <form onSubmit={submit} noValidate aria-label="Sign in to the central server">
      <Stack gap="md">
        <div>
          <Title order={3} size="h4" id="console-sign-in-title">
            Sign in to the central server
          </Title>
          <Text size="sm" c="dimmed">
            The bank-wide picture and every change that reaches all branches need a central administrator account
            {!needsServerUrl && serverUrl !== null ? (
              <>
                {' '}
                on{' '}
                <Text span ff="monospace" size="sm">
                  {serverUrl}
                </Text>
              </>
            ) : null}
            .
          </Text>
        </div>
        <Grid gap="xl">
          <Grid.Col span={{ base: 12, md: 6, xl: 5 }}>
            <Stack gap="sm">
              {signIn.error !== null && !codeMissing ? (
                <Alert
                  color="red"
                  variant="light"
                  icon={<IconAlert />}
                  title="Sign-in refused"
                  role="alert"
                  data-testid="console-sign-in-error"
                >
                  {signIn.error}
                </Alert>
              ) : null}
              {needsServerUrl ? (
                <TextInput
                  label="Central server URL"
                  description="This workstation is not enrolled, so say where the central API is"
                  withAsterisk
                  {...form.getInputProps('serverUrl')}
                />
              ) : null}
              <TextInput
                label="User name"
                autoComplete="username"
                spellCheck={false}
                withAsterisk
                {...form.getInputProps('username')}
              />
              <PasswordInput
                label="Password"
                autoComplete="current-password"
                withAsterisk
                {...form.getInputProps('password')}
              />
              <TextInput
                label="Authenticator code"
                description="6 digits from your authenticator app. First sign-in: leave it empty"
                placeholder="123456"
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={6}
                {...form.getInputProps('totp')}
                error={codeMissing ? signIn.error : form.errors.totp}
              />
              <Group mt="xs">
                <Button type="submit" leftSection={<IconLock size={16} />} loading={signIn.pending}>
                  Sign in
                </Button>
              </Group>
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6, xl: 7 }}>
            <Paper bg="var(--mantine-color-default-hover)" radius="md" p="md">
              <Stack gap="xs">
                <Text size="sm" fw={600}>
                  First sign-in
                </Text>
                <List size="sm" type="ordered" spacing={4}>
                  <List.Item>Your user name and the one-time password you were given; leave the code empty.</List.Item>
                  <List.Item>Add the key shown next to an authenticator app on your phone.</List.Item>
                  <List.Item>Enter the app's first code and choose your own password.</List.Item>
                </List>
                <Text size="xs" c="dimmed" mt="xs">
                  The session stays in this workstation's memory only: it ends when you sign out here, lock or sign out
                  of the workstation, or after a while without use.
                </Text>
              </Stack>
            </Paper>
          </Grid.Col>
        </Grid>
      </Stack>
    </form>
  );
}

/** The central console's sign-in, and at a first sign-in the authenticator enrolment that follows it. */
export function SignInCard({ needsServerUrl, serverUrl, onConnected }: SignInCardProps) {
  const [enrolment, setEnrolment] = useState<TotpEnrolment | null>(null);
  return (
    <Card component="section" aria-labelledby={enrolment ? 'console-totp-title' : 'console-sign-in-title'}>
      {enrolment ? (
        <TotpEnrolmentStep
          enrolment={enrolment}
          onCancel={() => setEnrolment(null)}
          onConnected={(connection) => {
            setEnrolment(null);
            welcome(connection);
            onConnected();
          }}
        />
      ) : (
        <SignInForm
          needsServerUrl={needsServerUrl}
          serverUrl={serverUrl}
          onConnected={onConnected}
          onEnrolment={setEnrolment}
        />
      )}
    </Card>
  );
}
