import { Button, Group, Modal, PasswordInput, Select, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { ROLE_LABELS, ROLES, type Role } from '../../../../shared/domain/roles';
import { DisplayName, RoleSchema, Username } from '../../../../shared/ipc/common';
import { PASSWORD_HINT, passwordProblem, USERNAME_HINT } from '../../../../shared/rules/accounts';
import { fromSchema, required, sameAs } from '../../components/form-rules';
import { useAuth } from '../../auth';
import { describeError, errorCode } from '../../errors';
import { useNexisMutation } from '../../hooks';

interface CreateOfficerValues {
  displayName: string;
  username: string;
  role: Role | null;
  password: string;
  confirmPassword: string;
}

export interface CreateOfficerModalProps {
  opened: boolean;
  onClose(): void;
}

const ROLE_OPTIONS = ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] }));

/** New officer account with a temporary password that must be changed at first sign-in. */
export function CreateOfficerModal({ opened, onClose }: CreateOfficerModalProps) {
  // Hidden (not reset) while the session is locked, so the typed values survive an idle lock.
  const { phase } = useAuth();
  const form = useForm<CreateOfficerValues>({
    initialValues: { displayName: '', username: '', role: 'officer', password: '', confirmPassword: '' },
    validate: {
      displayName: fromSchema(DisplayName),
      username: fromSchema(Username),
      role: (value) => (RoleSchema.safeParse(value).success ? null : 'Choose a role'),
      // The core's policy, checked before the form leaves (shared/rules/accounts.ts), so the refusal shows at once.
      password: (value, values) => required('Temporary password')(value) ?? passwordProblem(value, values.username),
      confirmPassword: sameAs<CreateOfficerValues>('password', 'The two passwords differ'),
    },
  });
  const create = useNexisMutation('officers:create', {
    successMessage: (officer) => `Account "${officer.username}" created. Hand over the temporary password in person.`,
    onError: (error) => {
      const code = errorCode(error);
      if (code === 'PASSWORD_POLICY') {
        form.setFieldError('password', describeError(error));
      } else if (code === 'CONFLICT') {
        form.setFieldError('username', describeError(error));
      }
    },
  });

  const close = (): void => {
    form.reset();
    onClose();
  };

  const submit = form.onSubmit(async (values) => {
    const role = RoleSchema.parse(values.role);
    const result = await create.run({
      displayName: values.displayName.trim(),
      username: values.username,
      role,
      password: values.password,
    });
    if (result.ok) {
      close();
    }
  });

  return (
    <Modal opened={opened && phase === 'ready'} onClose={close} title="New officer account" size="md" centered>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <TextInput label="Full name" data-autofocus withAsterisk {...form.getInputProps('displayName')} />
          <TextInput label="Username" description={USERNAME_HINT} withAsterisk {...form.getInputProps('username')} />
          <Select label="Role" data={ROLE_OPTIONS} allowDeselect={false} withAsterisk {...form.getInputProps('role')} />
          <PasswordInput
            label="Temporary password"
            description={`${PASSWORD_HINT} Not the username. The officer must change it at first sign-in.`}
            autoComplete="new-password"
            withAsterisk
            {...form.getInputProps('password')}
          />
          <PasswordInput
            label="Repeat the temporary password"
            autoComplete="new-password"
            withAsterisk
            {...form.getInputProps('confirmPassword')}
          />
          <Text size="xs" c="dimmed">
            The creation is recorded in the audit trail with your name.
          </Text>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={create.pending}>
              Create account
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
