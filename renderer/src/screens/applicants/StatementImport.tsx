/** Statement CSV → preview of the derived features (nothing stored) → import (only the derived features are kept). */
import { Alert, Button, Card, DataList, FileInput, Group, List, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { StatementPreview } from '../../../../shared/ipc/applicants';
import { IconAlert, IconUpload } from '../../components/icons';
import { describeError } from '../../errors';
import { featureLabel, formatFeatureValue } from '../../features';
import { formatCount, formatDate } from '../../format';
import { useNexisMutation } from '../../hooks';

export interface StatementImportProps {
  applicantId: string;
}

const MAX_BYTES = 5 * 1024 * 1024;
const EMPTY_FILE = 'Statement file: the file is empty. Export the statement again and choose the CSV file.';

/** The core's report ("…: 3 rows have problems. row 3, column "amount": …; row 5, …. Nothing was saved: …") as parts. */
function reportParts(message: string): { lead: string; rows: string[]; tail: string } | null {
  const match = /^(Statement not imported: \d+ rows? ha(?:s|ve) problems?\.) (.*)\. (Nothing was saved.*)$/s.exec(
    message,
  );
  if (!match?.[1] || match[2] === undefined || !match[3]) {
    return null;
  }
  return { lead: match[1], rows: match[2].split('; '), tail: match[3] };
}

function Problem({ message }: { message: string }) {
  const parts = reportParts(message);
  if (parts === null) {
    return <>{message}</>;
  }
  return (
    <Stack gap={4}>
      <Text size="sm">{parts.lead}</Text>
      <List size="sm">
        {parts.rows.map((row) => (
          <List.Item key={row}>{row.charAt(0).toUpperCase() + row.slice(1)}</List.Item>
        ))}
      </List>
      <Text size="sm">{parts.tail}</Text>
    </Stack>
  );
}

export function StatementImport({ applicantId }: StatementImportProps) {
  const [file, setFile] = useState<File | null>(null);
  const [csv, setCsv] = useState<string | null>(null);
  const [preview, setPreview] = useState<StatementPreview | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const previewCall = useNexisMutation('applicants:previewStatement', { onError: (e) => setProblem(describeError(e)) });
  const importCall = useNexisMutation('applicants:importStatement', {
    successMessage: (record) =>
      `Statement imported: ${record.importSummary?.derived.length ?? 0} features derived; the transactions were not kept.`,
    onError: (e) => setProblem(describeError(e)),
  });

  const choose = async (chosen: File | null): Promise<void> => {
    setFile(chosen);
    setPreview(null);
    setCsv(null);
    setProblem(null);
    if (chosen === null) {
      return;
    }
    if (chosen.size > MAX_BYTES) {
      setProblem('Statement file: the file is larger than 5 MB. Export a shorter period (12 months is enough).');
      return;
    }
    const text = await chosen.text();
    if (text.trim() === '') {
      setProblem(EMPTY_FILE);
      return;
    }
    setCsv(text);
    const result = await previewCall.run({ applicantId, csv: text });
    if (result.ok) {
      setPreview(result.value);
    }
  };

  const runImport = async (): Promise<void> => {
    if (csv === null) {
      return;
    }
    const result = await importCall.run({ applicantId, csv });
    if (result.ok) {
      setFile(null);
      setCsv(null);
      setPreview(null);
    }
  };

  return (
    <Card component="section" aria-labelledby="statement-title">
      <Stack gap="md">
        <div>
          <Title order={2} size="h4" id="statement-title">
            Import a statement
          </Title>
          <Text size="sm" c="dimmed">
            A mobile-money or bank statement as CSV (date, direction, category, amount). Only the derived figures are
            kept, never the transactions. Bills and rent paid on time are entered on the form.
          </Text>
        </div>
        <FileInput
          label="Statement file (CSV)"
          placeholder="Choose a .csv file"
          accept=".csv,text/csv"
          value={file}
          onChange={(chosen) => void choose(chosen)}
          leftSection={<IconUpload size={16} />}
          clearable
          maw={420}
        />
        {problem ? (
          <Alert
            color="red"
            variant="light"
            icon={<IconAlert />}
            title="Statement refused"
            data-testid="statement-error"
          >
            <Problem message={problem} />
          </Alert>
        ) : null}
        {preview ? (
          <Stack gap="sm" data-testid="statement-preview">
            <Text size="sm">
              {formatCount(preview.transactions)} transaction{preview.transactions === 1 ? '' : 's'} over{' '}
              {preview.months} month{preview.months === 1 ? '' : 's'} ({formatDate(preview.firstDate)} –{' '}
              {formatDate(preview.lastDate)}).
            </Text>
            <DataList labelWidth={300} withDivider size="sm">
              {preview.derived.map((key) => (
                <DataList.Item key={key} data-feature={key}>
                  <DataList.ItemLabel c="dimmed">{featureLabel(key)}</DataList.ItemLabel>
                  <DataList.ItemValue>{formatFeatureValue(key, preview.values[key])}</DataList.ItemValue>
                </DataList.Item>
              ))}
            </DataList>
            {preview.warnings.length > 0 ? (
              <Alert color="yellow" variant="light" title="Check before importing" data-testid="statement-warnings">
                <List size="sm">
                  {preview.warnings.map((warning) => (
                    <List.Item key={warning}>{warning}</List.Item>
                  ))}
                </List>
              </Alert>
            ) : null}
            <Group>
              <Button
                leftSection={<IconUpload size={16} />}
                onClick={() => void runImport()}
                loading={importCall.pending}
              >
                Import
              </Button>
              <Text size="xs" c="dimmed">
                Replaces these figures in the behavioural data; the other fields keep their values.
              </Text>
            </Group>
          </Stack>
        ) : null}
      </Stack>
    </Card>
  );
}
