/**
 * Batch scoring for administrators: a CSV of feature rows (portfolio review, back-testing) scored with the installed
 * model, with live progress and a summary. Rows carry no personal data and nothing but an audit entry is stored.
 */
import { Alert, Button, Card, FileInput, Group, Progress, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { ChannelOutput } from '../../../../shared/ipc/contract';
import { subscribe } from '../../api/nexis';
import { ScreenHeader } from '../../components/screen-header';
import { downloadText } from '../../files';
import { formatCount, formatDuration } from '../../format';
import { useNexisMutation } from '../../hooks';
import { BatchSummaryCard } from './BatchSummaryCard';

type Summary = ChannelOutput<'scoring:batch'>;
const MAX_BYTES = 20 * 1024 * 1024;

export function BatchScreen() {
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [summary, setSummary] = useState<Summary | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const batch = useNexisMutation('scoring:batch', {
    successMessage: (s) => `${formatCount(s.scored)} of ${formatCount(s.rows)} rows scored.`,
  });

  useEffect(() => subscribe('scoring:batchProgress', setProgress), []);

  const run = async (): Promise<void> => {
    if (file === null) {
      return;
    }
    if (file.size > MAX_BYTES) {
      setFileError('The file is larger than 20 MB: split it into several files.');
      return;
    }
    setFileError(null);
    setSummary(null);
    setProgress({ done: 0, total: 0 });
    const result = await batch.run({ csv: await file.text() });
    if (result.ok) {
      setSummary(result.value);
    }
  };

  const percent = progress && progress.total > 0 ? Math.round((progress.done / progress.total) * 100) : 0;

  return (
    <Stack gap={0}>
      <ScreenHeader
        title="Batch scoring"
        description="Score a file of applicants' features with the installed model, for portfolio review or back-testing. Files carry no personal data; only the counts are recorded in the audit trail."
      />
      <Stack gap="lg">
        <Card component="section" aria-labelledby="batch-file-title">
          <Stack gap="md">
            <div>
              <Title order={2} size="h4" id="batch-file-title">
                Feature file
              </Title>
              <Text size="sm" c="dimmed">
                CSV with a header naming the features of the specification (for example mobileMoneyInflowAvg,
                debtToIncome, …), one row per applicant. A column holding personal data is refused.
              </Text>
            </div>
            <Group align="flex-end">
              <FileInput
                label="CSV file"
                placeholder="Choose a .csv file"
                accept=".csv,text/csv"
                value={file}
                onChange={setFile}
                error={fileError}
                clearable
                w={360}
              />
              <Button onClick={() => void run()} disabled={file === null} loading={batch.pending}>
                Score file
              </Button>
            </Group>
            {progress !== null && (batch.pending || summary !== null) ? (
              <Stack gap={4}>
                <Progress value={summary ? 100 : percent} animated={batch.pending} aria-label="Batch progress" />
                <Text size="xs" c="dimmed" data-testid="batch-progress">
                  {summary
                    ? `Done: ${formatCount(summary.rows)} rows in ${formatDuration(summary.durationMs)}`
                    : `${formatCount(progress.done)} of ${formatCount(progress.total)} rows`}
                </Text>
              </Stack>
            ) : null}
          </Stack>
        </Card>
        {summary ? (
          <>
            {summary.failed > 0 ? (
              <Alert
                color="orange"
                variant="light"
                title={`${formatCount(summary.failed)} ${summary.failed === 1 ? 'row' : 'rows'} could not be scored`}
              >
                <Stack gap={2}>
                  {summary.errors.map((e) => (
                    <Text size="sm" key={e.line}>
                      Line {e.line}: {e.message}
                    </Text>
                  ))}
                  {summary.errorsTruncated ? <Text size="sm">… and more (see the results file).</Text> : null}
                </Stack>
              </Alert>
            ) : null}
            <BatchSummaryCard
              summary={summary}
              onDownload={() => downloadText('nexis-batch-results.csv', summary.resultCsv, 'text/csv;charset=utf-8')}
            />
          </>
        ) : null}
      </Stack>
    </Stack>
  );
}
