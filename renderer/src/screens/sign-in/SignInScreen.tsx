/** Sign-in; refusals (wrong password, lockout, disabled account) are shown once, in the form. The username is lower-cased. */
import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useAuth } from '../../auth';
import { AuthLayout } from '../../components/auth-layout';
import { required } from '../../components/form-rules';
import { IconAlert } from '../../components/icons';
import { describeError, errorCode } from '../../errors';
import { useNexisMutation } from '../../hooks';
import { normaliseUsername } from '../../../../shared/rules/accounts';

interface SignInValues {
  username: string;
  password: string;
}

export function SignInScreen() {
  const { status, setSession } = useAuth();
  const [refusal, setRefusal] = useState<{ title: string; message: string } | null>(null);
  const form = useForm<SignInValues>({
    initialValues: { username: '', password: '' },
    validate: { username: required('Username'), password: required('Password') },
  });
  const signIn = useNexisMutation('auth:signIn', {
    onError: (error) => {
      const code = errorCode(error);
      const title =
        code === 'ACCOUNT_LOCKED'
          ? 'Account locked'
          : code === 'ACCOUNT_DISABLED'
            ? 'Account disabled'
            : 'Sign-in refused';
      setRefusal({ title, message: describeError(error) });
    },
  });

  const submit = form.onSubmit(async (values) => {
    setRefusal(null);
    const result = await signIn.run({ username: normaliseUsername(values.username), password: values.password });
    if (result.ok) {
      notifications.clean();
      setSession(result.value);
    } else {
      form.setFieldValue('password', '');
    }
  });

  return (
    <AuthLayout
      title="Sign in"
      description="Use your officer account on this workstation."
      footer={status ? `Device ${status.deviceId}` : undefined}
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {refusal ? (
            <Alert
              color="red"
              variant="light"
              title={refusal.title}
              icon={<IconAlert />}
              role="alert"
              data-testid="sign-in-refusal"
            >
              {refusal.message}
            </Alert>
          ) : null}
          <TextInput label="Username" autoComplete="username" autoFocus {...form.getInputProps('username')} />
          <PasswordInput label="Password" autoComplete="current-password" {...form.getInputProps('password')} />
          <Button type="submit" loading={signIn.pending} fullWidth mt="xs">
            Sign in
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
