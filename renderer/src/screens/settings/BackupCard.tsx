import { Alert, Button, Card, Code, DataList, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { ChannelOutput } from '../../../../shared/ipc/contract';
import { IconCheck, IconDatabase } from '../../components/icons';
import { formatBytes, formatDateTime } from '../../format';
import { useNexisMutation } from '../../hooks';

type Backup = ChannelOutput<'system:backup'>;

/** An encrypted online copy of the database, written into the data folder's backups/. */
export function BackupCard() {
  const [last, setLast] = useState<Backup | null>(null);
  const backup = useNexisMutation('system:backup', {
    successMessage: (written) => `Encrypted backup written (${formatBytes(written.bytes)}).`,
  });

  const run = async (): Promise<void> => {
    const result = await backup.run({});
    if (result.ok) {
      setLast(result.value);
    }
  };

  return (
    <Card component="section" aria-labelledby="backup-title">
      <Stack gap="md">
        <div>
          <Title order={2} size="h4" id="backup-title">
            Encrypted backup
          </Title>
          <Text size="sm" c="dimmed">
            Copies the database, still encrypted with this workstation's key, while it stays in use.
          </Text>
        </div>
        <div>
          <Button leftSection={<IconDatabase size={16} />} onClick={() => void run()} loading={backup.pending}>
            Create encrypted backup
          </Button>
        </div>
        {last ? (
          <Alert color="teal" variant="light" icon={<IconCheck />} title="Backup written" data-testid="backup-result">
            <DataList labelWidth={90} size="sm" gap={4}>
              <DataList.Item>
                <DataList.ItemLabel c="dimmed">File</DataList.ItemLabel>
                <DataList.ItemValue>
                  <Code style={{ wordBreak: 'break-all' }}>{last.file}</Code>
                </DataList.ItemValue>
              </DataList.Item>
              <DataList.Item>
                <DataList.ItemLabel c="dimmed">Size</DataList.ItemLabel>
                <DataList.ItemValue>{formatBytes(last.bytes)}</DataList.ItemValue>
              </DataList.Item>
              <DataList.Item>
                <DataList.ItemLabel c="dimmed">Created</DataList.ItemLabel>
                <DataList.ItemValue>{formatDateTime(last.createdAt)}</DataList.ItemValue>
              </DataList.Item>
            </DataList>
          </Alert>
        ) : null}
      </Stack>
    </Card>
  );
}
