import { Button, Card, Group, NumberInput, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect } from 'react';
import { Settings } from '../../../../shared/ipc/system';
import { useAuth } from '../../auth';
import { useNexisMutation, useNexisQuery } from '../../hooks';

interface IdleValues {
  idleTimeoutMinutes: number | string;
}

/** Minutes of inactivity after which the core locks a session (1–120). */
export function IdleLockCard() {
  const { refresh } = useAuth();
  const settings = useNexisQuery('system:getSettings', {});
  const form = useForm<IdleValues>({
    initialValues: { idleTimeoutMinutes: 10 },
    validate: {
      idleTimeoutMinutes: (value) =>
        Settings.shape.idleTimeoutMinutes.safeParse(value).success ? null : 'A whole number of minutes from 1 to 120',
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
      setInitialValues({ idleTimeoutMinutes: loaded });
      setValues({ idleTimeoutMinutes: loaded });
    }
  }, [loaded, setInitialValues, setValues]);

  const submit = form.onSubmit(async (values) => {
    const result = await update.run({ idleTimeoutMinutes: Number(values.idleTimeoutMinutes) });
    if (result.ok) {
      form.resetDirty({ idleTimeoutMinutes: result.value.idleTimeoutMinutes });
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
          <Group align="flex-end" gap="sm">
            <NumberInput
              label="Lock after (minutes)"
              min={1}
              max={120}
              step={1}
              allowDecimal={false}
              w={200}
              disabled={settings.data === null}
              {...form.getInputProps('idleTimeoutMinutes')}
            />
            <Button type="submit" loading={update.pending} disabled={!form.isDirty()}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
