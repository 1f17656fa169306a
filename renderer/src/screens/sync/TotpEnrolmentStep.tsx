/** First central sign-in: the authenticator secret to add, then its first code and a new password. */
import {
  ActionIcon,
  Alert,
  Button,
  Code,
  CopyButton,
  Group,
  PasswordInput,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import type { ReactNode } from 'react';
import { consoleChannels, type ConsoleConnection } from '../../../../shared/ipc/sync';
import { fromSchema, sameAs } from '../../components/form-rules';
import { IconAlert, IconCheck, IconCopy, IconKey } from '../../components/icons';
import { formatDateTime } from '../../format';
import { useInlineCall } from './use-inline-call';

const enrolInput = consoleChannels['console:enrolTotp'].input.shape;

export interface TotpEnrolment {
  readonly username: string;
  /** Base32, as the server gave it */
  readonly secret: string;
  readonly otpauthUri: string;
  readonly expiresAt: string;
}

interface EnrolValues {
  totp: string;
  newPassword: string;
  confirmPassword: string;
}

/** "JBSW Y3DP EHPK 3PXP": groups of four are easier to type into an authenticator app. */
export function groupSecret(secret: string): string {
  return (secret.match(/.{1,4}/g) ?? []).join(' ');
}

function Copy({ value, label }: { value: string; label: string }) {
  return (
    <CopyButton value={value} timeout={1500}>
      {({ copied, copy }) => (
        <Tooltip label={copied ? 'Copied' : label}>
          <ActionIcon variant="default" size="lg" onClick={copy} aria-label={label}>
            {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
          </ActionIcon>
        </Tooltip>
      )}
    </CopyButton>
  );
}

function Step({ n, title, children }: { n: number; title: string; children: ReactNode }) {
  return (
    <Stack gap="sm">
      <Text fw={600} size="sm">
        {n}. {title}
      </Text>
      {children}
    </Stack>
  );
}

export interface TotpEnrolmentStepProps {
  enrolment: TotpEnrolment;
  onCancel(): void;
  onConnected(connection: ConsoleConnection): void;
}

export function TotpEnrolmentStep({ enrolment, onCancel, onConnected }: TotpEnrolmentStepProps) {
  const form = useForm<EnrolValues>({
    initialValues: { totp: '', newPassword: '', confirmPassword: '' },
    validate: {
      totp: fromSchema(enrolInput.totp),
      newPassword: fromSchema(enrolInput.newPassword),
      confirmPassword: sameAs<EnrolValues>('newPassword', 'The two passwords differ'),
    },
  });
  const enrol = useInlineCall('console:enrolTotp');
  // Forgets the enrolment ticket the core holds; the next sign-in with the one-time password starts a new one.
  const forget = useInlineCall('console:disconnect');

  const submit = form.onSubmit(async (values) => {
    const result = await enrol.run({ totp: values.totp.trim(), newPassword: values.newPassword });
    if (result.ok) {
      onConnected(result.value);
    } else {
      form.setFieldValue('totp', '');
    }
  });

  const cancel = async (): Promise<void> => {
    await forget.run({});
    onCancel();
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Set up two-step sign-in">
      <Stack gap="lg">
        <div>
          <Title order={3} size="h4" id="console-totp-title">
            Set up two-step sign-in
          </Title>
          <Text size="sm" c="dimmed">
            First sign-in of <strong>{enrolment.username}</strong>: the one-time password was right. From now on every
            sign-in also asks for a code from an authenticator app. Finish before {formatDateTime(enrolment.expiresAt)}.
          </Text>
        </div>
        {enrol.error !== null ? (
          <Alert
            color="red"
            variant="light"
            icon={<IconAlert />}
            title="Not set up yet"
            role="alert"
            data-testid="console-totp-error"
          >
            {enrol.error}
          </Alert>
        ) : null}
        <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="xl" verticalSpacing="lg">
          <Step n={1} title="Add this account to your authenticator app">
            <Text size="sm" c="dimmed">
              In the app, choose to enter a setup key (time-based, 6 digits) and type this one:
            </Text>
            <Group gap="xs" wrap="nowrap" align="center">
              <Code
                fz="md"
                px="md"
                py={8}
                data-testid="totp-secret"
                style={{ letterSpacing: '0.04em', wordSpacing: '0.2em', whiteSpace: 'nowrap', overflowX: 'auto' }}
              >
                {groupSecret(enrolment.secret)}
              </Code>
              <Copy value={enrolment.secret} label="Copy the setup key" />
            </Group>
            <Text size="sm" c="dimmed">
              Or, if the app takes a link, this setup address:
            </Text>
            <Group gap="xs" wrap="nowrap" align="flex-start">
              <Code
                block
                fz="xs"
                data-testid="totp-uri"
                style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap', flex: 1 }}
              >
                {enrolment.otpauthUri}
              </Code>
              <Copy value={enrolment.otpauthUri} label="Copy the setup address" />
            </Group>
            <Text size="xs" c="dimmed">
              Shown only now. Anyone with this key can make your codes: do not photograph or send it.
            </Text>
          </Step>
          <Step n={2} title="Enter its first code and choose a password">
            <TextInput
              label="Code from the app"
              placeholder="123456"
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              withAsterisk
              w={200}
              data-autofocus
              {...form.getInputProps('totp')}
            />
            <PasswordInput
              label="New password"
              description="At least 12 characters; it replaces the one-time password"
              autoComplete="new-password"
              withAsterisk
              {...form.getInputProps('newPassword')}
            />
            <PasswordInput
              label="Repeat the new password"
              autoComplete="new-password"
              withAsterisk
              {...form.getInputProps('confirmPassword')}
            />
          </Step>
        </SimpleGrid>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={() => void cancel()} disabled={enrol.pending} loading={forget.pending}>
            Cancel
          </Button>
          <Button type="submit" leftSection={<IconKey size={16} />} loading={enrol.pending}>
            Finish sign-in
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
