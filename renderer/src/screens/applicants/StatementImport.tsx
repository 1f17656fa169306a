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
  onImported(): void;
}

const MAX_BYTES = 5 * 1024 * 1024;

export function StatementImport({ applicantId, onImported }: StatementImportProps) {
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
      setProblem('The file is larger than 5 MB.');
      return;
    }
    const text = await chosen.text();
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
      onImported();
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
            {problem}
          </Alert>
        ) : null}
        {preview ? (
          <Stack gap="sm" data-testid="statement-preview">
            <Text size="sm">
              {formatCount(preview.transactions)} transactions over {preview.months} months (
              {formatDate(preview.firstDate)} – {formatDate(preview.lastDate)}).
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
              <Alert color="yellow" variant="light" title="Left out">
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
