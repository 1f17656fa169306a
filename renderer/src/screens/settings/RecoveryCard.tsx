import { Alert, Button, Card, DataList, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect } from 'react';
import { FolderPath, type RecoveryStatus } from '../../../../shared/ipc/recovery';
import { fromSchema, useUnsavedInput } from '../../components/form-rules';
import { IconAlert, IconDatabase } from '../../components/icons';
import { describeError } from '../../errors';
import { formatBytes, formatDateTime } from '../../format';
import { useNexisMutation, useNexisQuery } from '../../hooks';

interface FolderValues {
  folder: string;
}

/** The recorded failure codes (electron/core/recovery/recovery-service.ts `failureCode`) as an administrator reads them. */
const FAILURE_TEXT: Readonly<Record<string, string>> = {
  FOLDER_MISSING: 'The folder was not there: is the drive plugged in?',
  FOLDER_INSIDE_DATA_DIR: 'The folder is inside the workstation data folder.',
  IO_ERROR: 'The folder could not be written (full, or read-only).',
  DB_CORRUPT: 'The database failed its check; no bundle was written.',
};

function failureText(code: string): string {
  return FAILURE_TEXT[code] ?? `The backup failed (${code}).`;
}

/** The failure is news only if nothing has succeeded since. */
function currentFailure(status: RecoveryStatus): RecoveryStatus['lastFailure'] {
  const { lastFailure, lastSuccess } = status;
  return lastFailure !== null && (lastSuccess === null || lastFailure.at > lastSuccess.at) ? lastFailure : null;
}

/**
 * Daily recovery bundles to a removable drive: the database and this device's keys, encrypted to the bank's offline
 * recovery key, so the bank's IT can bring back a dead laptop. The folder is typed as a full path for now.
 */
export function RecoveryCard() {
  const status = useNexisQuery('recovery:status', {});
  const form = useForm<FolderValues>({
    initialValues: { folder: '' },
    validate: { folder: fromSchema(FolderPath) },
  });
  const setFolder = useNexisMutation('recovery:setFolder', { successMessage: 'Recovery backup folder saved.' });
  const clearFolder = useNexisMutation('recovery:clearFolder', {
    successMessage: 'Recovery backup folder cleared: no recovery backups are written until another is chosen.',
  });
  const runNow = useNexisMutation('recovery:runNow', {
    successMessage: (written) => `Recovery backup written to the folder (${formatBytes(written.bytes)}).`,
  });

  const loaded = status.data?.folder;
  const { setInitialValues, setValues } = form;
  useEffect(() => {
    if (loaded !== undefined) {
      setInitialValues({ folder: loaded ?? '' });
      setValues({ folder: loaded ?? '' });
    }
  }, [loaded, setInitialValues, setValues]);

  useUnsavedInput('settings:recovery-folder', 'Recovery backups', form.isDirty());

  const submit = form.onSubmit(async (values) => {
    const result = await setFolder.run({ folder: values.folder });
    if (result.ok) {
      form.resetDirty({ folder: result.value.folder ?? '' });
    } else {
      form.setFieldError('folder', describeError(result.error));
    }
  });

  const write = async (): Promise<void> => {
    const result = await runNow.run({});
    if (!result.ok) {
      // A failed run is recorded in the status too; read it again (a failed call invalidates nothing).
      status.refresh();
    }
  };

  const data = status.data;
  const failure = data === null ? null : currentFailure(data);

  return (
    <Card component="section" aria-labelledby="recovery-title">
      <Stack gap="md">
        <div>
          <Title order={2} size="h4" id="recovery-title">
            Recovery backups
          </Title>
          <Text size="sm" c="dimmed">
            Once a day, the database and this workstation's keys, encrypted to the bank's offline recovery key, are
            copied to a removable drive. Only the bank's IT can open them, to bring back a lost or broken laptop.
          </Text>
        </div>
        {data !== null && !data.enabled ? (
          <Alert color="gray" variant="light" data-testid="recovery-disabled">
            This build has no bank recovery key: recovery backups are off.
          </Alert>
        ) : null}
        {data?.enabled === true ? (
          <>
            <form onSubmit={submit} noValidate>
              <Stack gap="sm">
                <TextInput
                  label="Backup folder"
                  description="The full path of a folder on the removable drive, such as /media/usb/nexis or E:\nexis."
                  autoComplete="off"
                  spellCheck={false}
                  {...form.getInputProps('folder')}
                />
                <Group gap="sm">
                  <Button type="submit" loading={setFolder.pending} disabled={!form.isDirty()}>
                    Save folder
                  </Button>
                  <Button
                    variant="default"
                    loading={clearFolder.pending}
                    disabled={data.folder === null}
                    onClick={() => void clearFolder.run({})}
                  >
                    Clear folder
                  </Button>
                </Group>
              </Stack>
            </form>
            <div>
              <Button
                leftSection={<IconDatabase size={16} />}
                onClick={() => void write()}
                loading={runNow.pending || data.running}
                disabled={data.folder === null || form.isDirty()}
              >
                Write a recovery backup now
              </Button>
            </div>
            {failure !== null ? (
              <Alert
                color="red"
                variant="light"
                icon={<IconAlert />}
                title="The last recovery backup failed"
                data-testid="recovery-failure"
              >
                {failureText(failure.code)} ({formatDateTime(failure.at)}). It is tried again later.
              </Alert>
            ) : null}
            <DataList labelWidth={120} size="sm" gap={4} data-testid="recovery-status">
              <DataList.Item>
                <DataList.ItemLabel c="dimmed">Last written</DataList.ItemLabel>
                <DataList.ItemValue>
                  {data.lastSuccess === null
                    ? 'Never'
                    : `${formatDateTime(data.lastSuccess.at)} (${formatBytes(data.lastSuccess.bytes)})`}
                </DataList.ItemValue>
              </DataList.Item>
              <DataList.Item>
                <DataList.ItemLabel c="dimmed">Next</DataList.ItemLabel>
                <DataList.ItemValue>
                  {data.nextDue === null ? 'Choose a folder first' : formatDateTime(data.nextDue)}
                </DataList.ItemValue>
              </DataList.Item>
            </DataList>
          </>
        ) : null}
      </Stack>
    </Card>
  );
}
