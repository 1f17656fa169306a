/**
 * The signed consent receipt as a page the applicant can be handed: printed (the print stylesheet hides the
 * workstation's chrome) or downloaded as JSON.
 */
import { Alert, Badge, Button, Card, DataList, Group, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import type { SignedReceipt } from '../../../../shared/ipc/applicants';
import { IconAlert, IconArrowLeft, IconCheck, IconDownload, IconPrinter } from '../../components/icons';
import { ScreenHeader } from '../../components/screen-header';
import { downloadText } from '../../files';
import { formatDateTime } from '../../format';
import { useNexisQuery } from '../../hooks';
import { useOfficerLabel } from './use-officer-label';
import { LANGUAGE_LABELS, purposeLabel } from './applicant-labels';

export interface ReceiptViewProps {
  receiptId: string;
  onBack(): void;
  backLabel: string;
}

function Item({ label, children }: { label: string; children: ReactNode }) {
  return (
    <DataList.Item>
      <DataList.ItemLabel c="dimmed">{label}</DataList.ItemLabel>
      <DataList.ItemValue>{children}</DataList.ItemValue>
    </DataList.Item>
  );
}

const EVENT_LABELS = { granted: 'Granted', declined: 'Declined', withdrawn: 'Withdrawn' } as const;

function ReceiptBody({ signed }: { signed: SignedReceipt }) {
  // A document for the applicant: names, not "(you)".
  const officerLabel = useOfficerLabel(false);
  const { receipt } = signed;
  const language = receipt.language;
  const controller = receipt.piiControllers[0];
  const purposes = receipt.services.flatMap((service) => service.purposes);
  return (
    <Stack gap="lg" data-testid="consent-receipt">
      <Card>
        <Stack gap="md">
          <Group justify="space-between" align="flex-start">
            <div>
              <Title order={2} size="h3">
                Consent receipt
              </Title>
              <Text size="sm" c="dimmed">
                Keep this receipt: it records what you agreed to and how to change your mind.
              </Text>
            </div>
            {signed.signatureValid ? (
              <Badge color="teal" variant="light" size="lg" leftSection={<IconCheck size={14} />}>
                Signature valid
              </Badge>
            ) : (
              <Badge color="red" variant="light" size="lg" leftSection={<IconAlert size={14} />}>
                Signature INVALID
              </Badge>
            )}
          </Group>
          <DataList labelWidth={190} withDivider>
            <Item label="Receipt id">
              <Text ff="monospace" size="sm" data-testid="receipt-id">
                {receipt.consentReceiptID}
              </Text>
            </Item>
            <Item label="Applicant id">
              <Text ff="monospace" size="sm">
                {receipt.piiPrincipalId}
              </Text>
            </Item>
            <Item label="Given on">{formatDateTime(receipt.consentTimestamp)}</Item>
            <Item label="Language">{LANGUAGE_LABELS[language]}</Item>
            <Item label="Collected">{receipt.collectionMethod}</Item>
            <Item label="Notice">
              <Group gap="xs">
                <Text size="sm">Version {receipt.notice.version}</Text>
                <Text
                  size="xs"
                  ff="monospace"
                  style={{ wordBreak: 'break-all' }}
                  data-full-value={receipt.notice.sha256}
                >
                  SHA-256 {receipt.notice.sha256}
                </Text>
              </Group>
            </Item>
            <Item label="Officer">{officerLabel(receipt.officerId)}</Item>
            <Item label="Device">
              <Text ff="monospace" size="sm">
                {receipt.deviceId}
              </Text>
            </Item>
            <Item label="Jurisdiction">{receipt.jurisdiction}</Item>
          </DataList>
        </Stack>
      </Card>
      <Card>
        <Stack gap="sm">
          <Title order={2} size="h4">
            Data controller
          </Title>
          {controller ? (
            <DataList labelWidth={190} withDivider>
              <Item label="Controller">{controller.piiController}</Item>
              <Item label="Address">{controller.address}</Item>
              <Item label="Email">{controller.email}</Item>
              <Item label="Phone">{controller.phone}</Item>
              <Item label="Privacy policy">{receipt.policyUrl}</Item>
            </DataList>
          ) : (
            <Text size="sm">—</Text>
          )}
        </Stack>
      </Card>
      <Card>
        <Stack gap="sm">
          <Title order={2} size="h4">
            Purposes
          </Title>
          <Table aria-label="Purposes on the receipt" highlightOnHover={false}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Purpose</Table.Th>
                <Table.Th w={120}>Your choice</Table.Th>
                <Table.Th w={300}>Kept for</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {purposes.map((purpose) => (
                <Table.Tr key={purpose.purpose} data-purpose={purpose.purpose} data-granted={purpose.granted}>
                  <Table.Td fz="sm">
                    {purposeLabel(purpose.purpose, language)}
                    {language === 'sw' ? (
                      <Text size="xs" c="dimmed">
                        {purposeLabel(purpose.purpose, 'en')}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={purpose.granted ? 'teal' : 'gray'}>
                      {purpose.granted ? 'Granted' : 'Declined'}
                    </Badge>
                  </Table.Td>
                  <Table.Td fz="sm">{purpose.termination}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      </Card>
      <Card>
        <Stack gap="sm">
          <Title order={2} size="h4">
            History
          </Title>
          <Table aria-label="Consent events" highlightOnHover={false}>
            <Table.Tbody>
              {signed.events.map((event, index) => (
                <Table.Tr key={index}>
                  <Table.Td fz="sm" w={220}>
                    {formatDateTime(event.at)}
                  </Table.Td>
                  <Table.Td fz="sm">{purposeLabel(event.purpose, language)}</Table.Td>
                  <Table.Td fz="sm" w={120}>
                    {EVENT_LABELS[event.event]}
                  </Table.Td>
                  <Table.Td fz="sm" w={160}>
                    {officerLabel(event.officerId)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Text size="xs" c="dimmed">
            You may withdraw any purpose at any time at any branch; it takes effect immediately.
          </Text>
        </Stack>
      </Card>
      <Card>
        <Stack gap="xs">
          <Title order={2} size="h5">
            Signature (Ed25519)
          </Title>
          <Text size="xs" ff="monospace" style={{ wordBreak: 'break-all' }}>
            {signed.signature}
          </Text>
          <Text size="xs" c="dimmed">
            Device public key: <span style={{ wordBreak: 'break-all' }}>{signed.publicKey}</span>
          </Text>
        </Stack>
      </Card>
    </Stack>
  );
}

export function ReceiptView({ receiptId, onBack, backLabel }: ReceiptViewProps) {
  const receipt = useNexisQuery('consent:receipt', { receiptId });
  return (
    <Stack gap="lg">
      <ScreenHeader
        title={`Consent receipt ${receiptId}`}
        description={
          <span className="nexis-no-print">Hand this page to the applicant: print it or save it as a PDF.</span>
        }
        actions={
          <Group gap="sm" className="nexis-no-print">
            <Button variant="default" leftSection={<IconArrowLeft size={16} />} onClick={onBack}>
              {backLabel}
            </Button>
            <Button
              variant="default"
              leftSection={<IconDownload size={16} />}
              disabled={receipt.data === null}
              onClick={() => {
                if (receipt.data) {
                  downloadText(
                    `${receiptId}.json`,
                    `${JSON.stringify(receipt.data, null, 2)}\n`,
                    'application/json;charset=utf-8',
                  );
                }
              }}
            >
              Download JSON
            </Button>
            <Button
              leftSection={<IconPrinter size={16} />}
              disabled={receipt.data === null}
              onClick={() => window.print()}
            >
              Print / Save as PDF
            </Button>
          </Group>
        }
      />
      {receipt.data ? (
        <ReceiptBody signed={receipt.data} />
      ) : receipt.error ? (
        <Alert color="red" variant="light">
          The receipt could not be read.
        </Alert>
      ) : (
        <Skeleton h={400} radius="md" />
      )}
    </Stack>
  );
}
