import { Button, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import type { OfficerView } from '../../../../shared/ipc/auth';
import { required, sameAs } from '../../components/form-rules';
import { useAuth } from '../../auth';
import { describeError, errorCode } from '../../errors';
import { useNexisMutation } from '../../hooks';
import { PASSWORD_HINT, passwordProblem } from '../../../../shared/rules/accounts';

interface ResetValues {
  newPassword: string;
  confirmPassword: string;
}

export interface ResetPasswordModalProps {
  /** The account to reset; the modal is open while set */
  officer: OfficerView | null;
  onClose(): void;
}

/** Sets a temporary password, which also clears a lockout; the officer must change it at next sign-in. */
export function ResetPasswordModal({ officer, onClose }: ResetPasswordModalProps) {
  const { phase } = useAuth();
  const form = useForm<ResetValues>({
    initialValues: { newPassword: '', confirmPassword: '' },
    validate: {
      newPassword: (value) => required('Temporary password')(value) ?? passwordProblem(value, officer?.username ?? ''),
      confirmPassword: sameAs<ResetValues>('newPassword', 'The two passwords differ'),
    },
  });
  const reset = useNexisMutation('officers:resetPassword', {
    successMessage: (updated) => `Temporary password set for "${updated.username}". Any lockout is cleared.`,
    onError: (error) => {
      if (errorCode(error) === 'PASSWORD_POLICY') {
        form.setFieldError('newPassword', describeError(error));
      }
    },
  });

  const close = (): void => {
    form.reset();
    onClose();
  };

  const submit = form.onSubmit(async (values) => {
    if (!officer) {
      return;
    }
    const result = await reset.run({ officerId: officer.id, newPassword: values.newPassword });
    if (result.ok) {
      close();
    }
  });

  return (
    <Modal opened={officer !== null && phase === 'ready'} onClose={close} title="Reset password" centered>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <Text size="sm">
            Set a temporary password for <strong>{officer?.displayName}</strong> ({officer?.username}). They will have
            to choose their own at the next sign-in.
          </Text>
          <PasswordInput
            label="Temporary password"
            description={`${PASSWORD_HINT} Not the username.`}
            autoComplete="new-password"
            data-autofocus
            withAsterisk
            {...form.getInputProps('newPassword')}
          />
          <PasswordInput
            label="Repeat the temporary password"
            autoComplete="new-password"
            withAsterisk
            {...form.getInputProps('confirmPassword')}
          />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={reset.pending}>
              Set temporary password
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
