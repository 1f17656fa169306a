import { Button, Card, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect } from 'react';
import { IDLE_TIMEOUT_RULE, parseNumberField } from '../../../../shared/rules/number-field';
import { useUnsavedInput } from '../../components/form-rules';
import { officerNumberSymbols } from '../../format';
import { useAuth } from '../../auth';
import { useNexisMutation, useNexisQuery } from '../../hooks';

interface IdleValues {
  idleTimeoutMinutes: string;
}

/** Minutes of inactivity after which the core locks a session (1–120); typed text, refused rather than clamped. */
export function IdleLockCard() {
  const { refresh } = useAuth();
  const settings = useNexisQuery('system:getSettings', {});
  const form = useForm<IdleValues>({
    initialValues: { idleTimeoutMinutes: '10' },
    validateInputOnBlur: true,
    validate: {
      idleTimeoutMinutes: (value) => {
        const parsed = parseNumberField(IDLE_TIMEOUT_RULE, value, officerNumberSymbols());
        return parsed.ok ? null : parsed.message;
      },
    },
  });
  const update = useNexisMutation('system:updateSettings', {
    successMessage: (saved) =>
      `Sessions now lock after ${saved.idleTimeoutMinutes} minute${saved.idleTimeoutMinutes === 1 ? '' : 's'} without activity.`,
  });

  const loaded = settings.data?.idleTimeoutMinutes;
  const { setInitialValues, setValues } = form;
  useEffect(() => {
    if (loaded !== undefined) {
      setInitialValues({ idleTimeoutMinutes: String(loaded) });
      setValues({ idleTimeoutMinutes: String(loaded) });
    }
  }, [loaded, setInitialValues, setValues]);

  useUnsavedInput('settings:idle-lock', 'Automatic lock', form.isDirty());

  const submit = form.onSubmit(async (values) => {
    const parsed = parseNumberField(IDLE_TIMEOUT_RULE, values.idleTimeoutMinutes, officerNumberSymbols());
    if (!parsed.ok) {
      form.setFieldError('idleTimeoutMinutes', parsed.message);
      return;
    }
    const result = await update.run({ idleTimeoutMinutes: parsed.value });
    if (result.ok) {
      form.resetDirty({ idleTimeoutMinutes: String(result.value.idleTimeoutMinutes) });
      // The session view carries the timeout; re-read it so the activity heartbeat follows the new value.
      void refresh();
    }
  });

  return (
    <Card component="section" aria-labelledby="idle-lock-title">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <div>
            <Title order={2} size="h4" id="idle-lock-title">
              Automatic lock
            </Title>
            <Text size="sm" c="dimmed">
              A session with no activity for this long locks itself; the officer's password opens it again.
            </Text>
          </div>
          <Group align="flex-start" gap="sm">
            <TextInput
              label={IDLE_TIMEOUT_RULE.label}
              inputMode="numeric"
              autoComplete="off"
              w={200}
              disabled={settings.data === null}
              {...form.getInputProps('idleTimeoutMinutes')}
            />
            <Button type="submit" mt={25} loading={update.pending} disabled={!form.isDirty()}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
