/**
 * Loan outcomes from the bank's core-banking system (issue 14, item 1): the release manager picks the monthly file
 * (decision_id,status,as_of) and the central API stores all of its rows or none. A refused file comes back with every
 * problem by line and column, so the file can be corrected and imported again; a re-import stores nothing twice.
 * Outcomes name decisions by their pseudonymous ids only: nothing here shows an applicant.
 */
import { Alert, Box, Button, Card, FileInput, Group, Stack, Table, Text, Tooltip } from '@mantine/core';
import { useState } from 'react';
import type { AdminRole } from '../../../../shared/sync/admin-auth';
import {
  OUTCOME_BODY_LIMIT,
  OUTCOME_CSV_COLUMNS,
  type OutcomeImportAnswer,
  type OutcomeRowError,
} from '../../../../shared/sync/outcomes';
import { formatBytes, formatCount } from '../../format';
import { useNexisMutation } from '../../hooks';
import { CardTitle } from './ConsoleHeadings';

const ONLY_RELEASE_MANAGERS = 'Only a release manager may import loan outcomes';

function RowErrors({ errors, errorCount }: { errors: readonly OutcomeRowError[]; errorCount: number }) {
  return (
    <Stack gap="xs">
      <Table.ScrollContainer minWidth={560} mah={320}>
        <Table aria-label="Problems in the outcome file" horizontalSpacing="sm" verticalSpacing={4} stickyHeader>
          <Table.Thead>
            <Table.Tr>
              <Table.Th ta="right">Line</Table.Th>
              <Table.Th>Column</Table.Th>
              <Table.Th>Problem</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {errors.map((e) => (
              <Table.Tr key={`${e.row}-${e.column ?? ''}-${e.code}`}>
                <Table.Td ta="right" ff="monospace">
                  {e.row}
                </Table.Td>
                <Table.Td ff="monospace">{e.column ?? '—'}</Table.Td>
                <Table.Td>{e.message}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {errorCount > errors.length ? (
        <Text size="sm" c="dimmed">
          The first {formatCount(errors.length)} of {formatCount(errorCount)} problems are listed.
        </Text>
      ) : null}
    </Stack>
  );
}

function AnswerView({ answer, fileName }: { answer: OutcomeImportAnswer; fileName: string }) {
  if (!answer.ok) {
    return (
      <Alert
        color="red"
        variant="light"
        title={`${fileName}: nothing was imported`}
        data-testid="outcome-import-refused"
      >
        <Stack gap="sm">
          <Text size="sm">
            {formatCount(answer.errorCount)} {answer.errorCount === 1 ? 'problem' : 'problems'} in the file. Correct
            them in the core-banking export and import the whole file again.
          </Text>
          <RowErrors errors={answer.errors} errorCount={answer.errorCount} />
        </Stack>
      </Alert>
    );
  }
  const { result } = answer;
  return (
    <Alert color="green" variant="light" title={`${fileName} imported`} data-testid="outcome-import-result">
      <Text size="sm">
        {formatCount(result.rows)} {result.rows === 1 ? 'row' : 'rows'}: {formatCount(result.imported)} stored now,{' '}
        {formatCount(result.unchanged)} already stored exactly so. Import{' '}
        <Text span ff="monospace" size="sm">
          {result.importId}
        </Text>
        ; model monitoring below now counts these outcomes.
      </Text>
    </Alert>
  );
}

export function OutcomeImportPanel({ roles }: { roles: readonly AdminRole[] }) {
  const canImport = roles.includes('release-manager');
  const [file, setFile] = useState<File | null>(null);
  const [fileProblem, setFileProblem] = useState<string | null>(null);
  const [answer, setAnswer] = useState<{ answer: OutcomeImportAnswer; fileName: string } | null>(null);
  const importOutcomes = useNexisMutation('console:importOutcomes');

  const choose = (next: File | null): void => {
    setFile(next);
    setAnswer(null);
    setFileProblem(
      next !== null && next.size > OUTCOME_BODY_LIMIT
        ? `The file is ${formatBytes(next.size)}; the central API takes at most ${formatBytes(OUTCOME_BODY_LIMIT)} per import. Split it by month.`
        : null,
    );
  };

  const submit = async (): Promise<void> => {
    if (file === null || fileProblem !== null) {
      return;
    }
    const csv = await file.text();
    const result = await importOutcomes.run({ csv });
    if (result.ok) {
      setAnswer({ answer: result.value, fileName: file.name });
    }
  };

  return (
    <Card component="section" aria-labelledby="outcome-import-title" data-testid="outcome-import-panel">
      <Stack gap="md">
        <CardTitle
          id="outcome-import-title"
          title="Loan outcomes"
          description={
            <>
              Repayment outcomes from the core-banking system, one row per approved decision:{' '}
              <Text span ff="monospace" size="sm">
                {OUTCOME_CSV_COLUMNS.join(',')}
              </Text>
              . Status is current, dpd30, dpd60, dpd90, written_off or repaid; the date is the as-of date. Every row is
              checked: a file with any problem stores nothing, and importing the same file again changes nothing.
            </>
          }
        />
        <Group align="flex-end" gap="sm" wrap="wrap">
          <Box flex="1 1 320px" maw={520}>
            <FileInput
              label="Outcome file (CSV)"
              placeholder="Choose the core-banking export…"
              accept=".csv,text/csv"
              value={file}
              onChange={choose}
              clearable
              disabled={!canImport}
              error={fileProblem}
            />
          </Box>
          <Tooltip label={ONLY_RELEASE_MANAGERS} disabled={canImport}>
            <Button
              onClick={() => void submit()}
              loading={importOutcomes.pending}
              disabled={!canImport || file === null || fileProblem !== null}
            >
              Import outcomes
            </Button>
          </Tooltip>
        </Group>
        {answer === null ? null : <AnswerView answer={answer.answer} fileName={answer.fileName} />}
      </Stack>
    </Card>
  );
}
