/** Forced password change (temporary password set by an administrator) before the workstation opens. */
import { Button, Group, PasswordInput, Stack } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useAuth, useSession, useSessionActions } from '../../auth';
import { AuthLayout } from '../../components/auth-layout';
import { required, sameAs } from '../../components/form-rules';
import { describeError, errorCode, notifySuccess } from '../../errors';
import { useNexisMutation } from '../../hooks';
import { PASSWORD_HINT, passwordProblem } from '../../../../shared/rules/accounts';

interface ChangePasswordValues {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

export function ChangePasswordScreen() {
  const { officer } = useSession();
  const { setSession } = useAuth();
  const { signOut } = useSessionActions();
  const form = useForm<ChangePasswordValues>({
    initialValues: { currentPassword: '', newPassword: '', confirmPassword: '' },
    validate: {
      currentPassword: required('Current password'),
      newPassword: (value) => required('New password')(value) ?? passwordProblem(value, officer.username),
      confirmPassword: sameAs<ChangePasswordValues>('newPassword', 'The two passwords differ'),
    },
  });
  const change = useNexisMutation('auth:changePassword', {
    onError: (error) => {
      const code = errorCode(error);
      if (code === 'PASSWORD_POLICY') {
        form.setFieldError('newPassword', describeError(error));
      } else if (code === 'INVALID_CREDENTIALS') {
        form.setFieldError('currentPassword', describeError(error));
      }
    },
  });

  const submit = form.onSubmit(async (values) => {
    const result = await change.run({ currentPassword: values.currentPassword, newPassword: values.newPassword });
    if (result.ok) {
      notifySuccess('Your new password is set.', 'Password changed');
      setSession(result.value);
    }
  });

  return (
    <AuthLayout
      title="Choose a new password"
      width={460}
      description={`${officer.displayName}, your password was set by an administrator. Choose your own before you continue.`}
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <PasswordInput
            label="Temporary password"
            autoComplete="current-password"
            autoFocus
            withAsterisk
            {...form.getInputProps('currentPassword')}
          />
          <PasswordInput
            label="New password"
            description={`${PASSWORD_HINT} Not your username.`}
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
          <Group grow mt="xs">
            <Button variant="default" onClick={() => void signOut()}>
              Sign out
            </Button>
            <Button type="submit" loading={change.pending}>
              Change password
            </Button>
          </Group>
        </Stack>
      </form>
    </AuthLayout>
  );
}
