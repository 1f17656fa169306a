/** A locked session: only the signed-in officer's password opens it again; anyone may sign the officer out. */
import { Alert, Button, Group, PasswordInput, Stack, Text, ThemeIcon } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { ROLE_LABELS } from '../../../../shared/domain/roles';
import { useAuth, useSession, useSessionActions } from '../../auth';
import { AuthLayout } from '../../components/auth-layout';
import { required } from '../../components/form-rules';
import { IconAlert, IconLock } from '../../components/icons';
import { describeError, errorCode } from '../../errors';
import { useNexisMutation } from '../../hooks';

export function LockedScreen() {
  const session = useSession();
  const { setSession, refresh } = useAuth();
  const { signOut } = useSessionActions();
  const [refusal, setRefusal] = useState<string | null>(null);
  const form = useForm({ initialValues: { password: '' }, validate: { password: required('Password') } });
  const unlock = useNexisMutation('auth:unlock', {
    onError: (error) => {
      setRefusal(describeError(error));
      const code = errorCode(error);
      // After a lockout or a disabled account the core has ended the session: show the sign-in screen.
      if (code === 'ACCOUNT_LOCKED' || code === 'NOT_SIGNED_IN') {
        void refresh();
      }
    },
  });

  const submit = form.onSubmit(async (values) => {
    setRefusal(null);
    const result = await unlock.run({ password: values.password });
    if (result.ok) {
      setSession(result.value);
    } else {
      form.setFieldValue('password', '');
    }
  });

  const { officer } = session;
  return (
    <AuthLayout
      title="Session locked"
      description="The workstation was locked to protect applicant data. Enter your password to continue where you left off."
    >
      <Group gap="sm" wrap="nowrap" data-testid="locked-officer">
        <ThemeIcon size={40} radius="xl" variant="light" aria-hidden="true">
          <IconLock size={20} />
        </ThemeIcon>
        <div>
          <Text fw={600}>{officer.displayName}</Text>
          <Text size="sm" c="dimmed">
            {officer.username} · {ROLE_LABELS[officer.role]}
          </Text>
        </div>
      </Group>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {refusal ? (
            <Alert color="red" variant="light" icon={<IconAlert />} role="alert">
              {refusal}
            </Alert>
          ) : null}
          <PasswordInput
            label="Password"
            autoComplete="current-password"
            autoFocus
            {...form.getInputProps('password')}
          />
          <Group grow>
            <Button variant="default" onClick={() => void signOut()}>
              Sign out
            </Button>
            <Button type="submit" loading={unlock.pending}>
              Unlock
            </Button>
          </Group>
        </Stack>
      </form>
    </AuthLayout>
  );
}
