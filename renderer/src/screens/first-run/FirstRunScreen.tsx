/** First start of a workstation: creates the first administrator, who is then signed in. */
import { Button, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { DisplayName, Username } from '../../../../shared/ipc/common';
import { PASSWORD_HINT, passwordProblem, USERNAME_HINT } from '../../../../shared/rules/accounts';
import { useAuth } from '../../auth';
import { AuthLayout } from '../../components/auth-layout';
import { fromSchema, required, sameAs } from '../../components/form-rules';
import { describeError, errorCode, notifySuccess } from '../../errors';
import { useNexisMutation } from '../../hooks';

interface FirstRunValues {
  displayName: string;
  username: string;
  password: string;
  confirmPassword: string;
}

export function FirstRunScreen() {
  const { status, setSession } = useAuth();
  const form = useForm<FirstRunValues>({
    initialValues: { displayName: '', username: '', password: '', confirmPassword: '' },
    validateInputOnBlur: true,
    validate: {
      displayName: fromSchema(DisplayName),
      username: fromSchema(Username),
      // The policy is checked here, before the core checks it again, so the refusal shows once, under the field.
      password: (value, values) => required('Password')(value) ?? passwordProblem(value, values.username),
      confirmPassword: sameAs<FirstRunValues>('password', 'The two passwords differ'),
    },
  });
  const setup = useNexisMutation('auth:setup', {
    onError: (error) => {
      if (errorCode(error) === 'PASSWORD_POLICY') {
        form.setFieldError('password', describeError(error));
      }
    },
  });

  const submit = form.onSubmit(async (values) => {
    const result = await setup.run({
      displayName: values.displayName.trim(),
      username: values.username,
      password: values.password,
    });
    if (result.ok) {
      notifySuccess(`Administrator account "${result.value.officer.username}" created.`, 'Workstation ready');
      setSession(result.value);
    }
  });

  return (
    <AuthLayout
      title="Set up this workstation"
      width={460}
      description="No account exists yet. Create the first administrator: they can then add the officers of this branch."
      footer={status ? `Device ${status.deviceId}` : undefined}
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <TextInput
            label="Full name"
            autoComplete="name"
            autoFocus
            withAsterisk
            {...form.getInputProps('displayName')}
          />
          <TextInput
            label="Username"
            description={USERNAME_HINT}
            autoComplete="username"
            withAsterisk
            {...form.getInputProps('username')}
          />
          <PasswordInput
            label="Password"
            description={`${PASSWORD_HINT} Not the username.`}
            autoComplete="new-password"
            withAsterisk
            {...form.getInputProps('password')}
          />
          <PasswordInput
            label="Repeat the password"
            autoComplete="new-password"
            withAsterisk
            {...form.getInputProps('confirmPassword')}
          />
          <Text size="xs" c="dimmed">
            The account is recorded in the tamper-evident audit trail of this workstation.
          </Text>
          <Button type="submit" loading={setup.pending} fullWidth mt="xs">
            Create administrator
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
