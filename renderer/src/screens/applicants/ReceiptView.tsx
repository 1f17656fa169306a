/**
 * The signed consent receipt as a document the applicant can be handed: headed by the bank, naming the applicant,
 * wholly in the language of their consent, and printed on one A4 page (print.css hides the workstation's chrome).
 * On screen the name is masked; printing shows it in clear, which is an audited reveal like any other.
 */
import { Alert, Badge, Button, Group, Paper, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { flushSync } from 'react-dom';
import type { ConsentLanguage } from '../../../../shared/domain/consent';
import type { SignedReceipt } from '../../../../shared/ipc/applicants';
import { canCall, useSession } from '../../auth';
import { IconAlert, IconArrowLeft, IconCheck, IconDownload, IconPrinter } from '../../components/icons';
import { ScreenHeader } from '../../components/screen-header';
import { downloadText } from '../../files';
import { useNexisMutation, useNexisQuery } from '../../hooks';
import { LANGUAGE_LABELS, purposeLabel } from './applicant-labels';
import { useOfficerLabel } from './use-officer-label';

export interface ReceiptViewProps {
  receiptId: string;
  onBack(): void;
  backLabel: string;
}

interface ReceiptTexts {
  readonly title: string;
  readonly keep: string;
  readonly applicant: string;
  readonly receiptId: string;
  readonly applicantId: string;
  readonly givenOn: string;
  readonly language: string;
  readonly collected: string;
  readonly collectedValue: string;
  readonly notice: string;
  readonly noticeVersion: (version: string) => string;
  readonly officer: string;
  readonly device: string;
  readonly controller: string;
  readonly contact: string;
  readonly policy: string;
  readonly purposes: string;
  readonly purpose: string;
  readonly choice: string;
  readonly keptFor: string;
  readonly events: Record<'granted' | 'declined' | 'withdrawn', string>;
  readonly history: string;
  readonly withdrawNote: string;
  readonly signature: string;
  readonly publicKey: string;
  /** The receipt's termination rule, from the retention months it records. */
  readonly termination: (months: string) => string;
  readonly locale: string;
}

const TEXTS: Record<ConsentLanguage, ReceiptTexts> = {
  en: {
    title: 'Consent receipt',
    keep: 'Keep this receipt: it records what you agreed to and how to change your mind.',
    applicant: 'Applicant',
    receiptId: 'Receipt number',
    applicantId: 'Applicant number',
    givenOn: 'Given on',
    language: 'Language',
    collected: 'How it was given',
    collectedValue: 'In the branch, with the help of a loan officer',
    notice: 'Notice shown',
    noticeVersion: (version) => `Version ${version}`,
    officer: 'Officer',
    device: 'Workstation',
    controller: 'Responsible for your data',
    contact: 'Contact',
    policy: 'Privacy policy',
    purposes: 'What you agreed to',
    purpose: 'Purpose',
    choice: 'Your choice',
    keptFor: 'How long',
    events: { granted: 'Granted', declined: 'Declined', withdrawn: 'Withdrawn' },
    history: 'History',
    withdrawNote: 'You may withdraw any purpose at any time at any branch; it takes effect immediately.',
    signature: 'Digital signature (Ed25519)',
    publicKey: 'Workstation public key',
    termination: (months) =>
      `Until you withdraw it at a branch, or erased ${months} months after the last decision (after registration ` +
      'if there is none); kept longer only under a legal hold or while your application awaits a supervisor',
    locale: 'en-GB',
  },
  sw: {
    title: 'Risiti ya idhini',
    keep: 'Hifadhi risiti hii: inaonyesha ulichokubali na jinsi ya kubadilisha uamuzi wako.',
    applicant: 'Mwombaji',
    receiptId: 'Namba ya risiti',
    applicantId: 'Namba ya mwombaji',
    givenOn: 'Ilitolewa',
    language: 'Lugha',
    collected: 'Ilivyotolewa',
    collectedValue: 'Tawini, kwa msaada wa afisa wa mikopo',
    notice: 'Tangazo lililoonyeshwa',
    noticeVersion: (version) => `Toleo la ${version}`,
    officer: 'Afisa',
    device: 'Kompyuta ya tawi',
    controller: 'Anayehusika na taarifa zako',
    contact: 'Mawasiliano',
    policy: 'Sera ya faragha',
    purposes: 'Ulichokubali',
    purpose: 'Dhumuni',
    choice: 'Chaguo lako',
    keptFor: 'Kwa muda gani',
    events: { granted: 'Umekubali', declined: 'Hukukubali', withdrawn: 'Umeondoa' },
    history: 'Historia',
    withdrawNote: 'Unaweza kuondoa idhini ya dhumuni lolote wakati wowote katika tawi lolote; inatekelezwa mara moja.',
    signature: 'Sahihi ya kidijitali (Ed25519)',
    publicKey: 'Ufunguo wa umma wa kompyuta ya tawi',
    termination: (months) =>
      `Hadi utakapoiondoa tawini, au kufutwa miezi ${months} baada ya uamuzi wa mwisho (baada ya usajili kama ` +
      'hakuna uamuzi); huhifadhiwa zaidi tu chini ya zuio la kisheria au ombi lako likisubiri msimamizi',
    locale: 'sw',
  },
};

function when(t: ReceiptTexts, iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : new Intl.DateTimeFormat(t.locale, { dateStyle: 'long', timeStyle: 'short' }).format(date);
}

/** The receipt states its rule in English ("…erasure 24 months after…"); the applicant reads it in their language. */
function termination(t: ReceiptTexts, rule: string): string {
  const months = /(\d+) months/.exec(rule)?.[1];
  return months === undefined ? rule : t.termination(months);
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Table.Tr>
      <Table.Th scope="row" fw={500} c="dimmed" w={200}>
        {label}
      </Table.Th>
      <Table.Td>{children}</Table.Td>
    </Table.Tr>
  );
}

function ReceiptBody({ signed, applicantName }: { signed: SignedReceipt; applicantName: string | null }) {
  // A document for the applicant: names, not "(you)".
  const officerLabel = useOfficerLabel(false);
  const { receipt } = signed;
  const language = receipt.language;
  const t = TEXTS[language];
  const controller = receipt.piiControllers[0];
  const purposes = receipt.services.flatMap((service) => service.purposes);
  return (
    <Paper withBorder p="xl" radius="md" className="nexis-receipt-paper">
      <Stack gap="md" className="nexis-receipt" data-testid="consent-receipt" lang={language}>
        <Group justify="space-between" align="flex-start" className="nexis-receipt-head">
          <div>
            <Text fw={700} size="lg" data-testid="receipt-bank">
              {controller?.piiController ?? ''}
            </Text>
            <Text size="xs" c="dimmed">
              {controller ? `${controller.address} · ${controller.phone} · ${controller.email}` : ''}
            </Text>
          </div>
          {/* The workstation's live check of the signature, for the officer: not part of the printed receipt. */}
          <div className="nexis-no-print">
            {signed.signatureValid ? (
              <Badge color="teal" variant="light" leftSection={<IconCheck size={14} />}>
                Signature valid
              </Badge>
            ) : (
              <Badge color="red" variant="light" leftSection={<IconAlert size={14} />}>
                Signature INVALID
              </Badge>
            )}
          </div>
        </Group>
        <div>
          <Title order={2} size="h3">
            {t.title}
          </Title>
          <Text size="sm">{t.keep}</Text>
        </div>
        <Table className="nexis-receipt-facts" verticalSpacing={4} withRowBorders={false}>
          <Table.Tbody>
            <Row label={t.applicant}>
              <Text fw={600} data-testid="receipt-applicant">
                {applicantName ?? '—'}
              </Text>
            </Row>
            <Row label={t.applicantId}>
              <Text ff="monospace" size="sm">
                {receipt.piiPrincipalId}
              </Text>
            </Row>
            <Row label={t.receiptId}>
              <Text ff="monospace" size="sm" data-testid="receipt-id">
                {receipt.consentReceiptID}
              </Text>
            </Row>
            <Row label={t.givenOn}>{when(t, receipt.consentTimestamp)}</Row>
            <Row label={t.language}>{LANGUAGE_LABELS[language]}</Row>
            <Row label={t.collected}>
              {t.collectedValue}: {officerLabel(receipt.officerId)} ({t.device.toLowerCase()} {receipt.deviceId})
            </Row>
            <Row label={t.notice}>
              {t.noticeVersion(receipt.notice.version)}{' '}
              <Text
                span
                size="xs"
                ff="monospace"
                className="nexis-receipt-hash"
                data-full-value={receipt.notice.sha256}
              >
                SHA-256 {receipt.notice.sha256}
              </Text>
            </Row>
            <Row label={t.controller}>{controller?.piiController ?? '—'}</Row>
            <Row label={t.policy}>{receipt.policyUrl}</Row>
          </Table.Tbody>
        </Table>
        <div>
          <Title order={3} size="h5" mb={4}>
            {t.purposes}
          </Title>
          <Table aria-label={t.purposes} highlightOnHover={false} verticalSpacing={4} withTableBorder>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t.purpose}</Table.Th>
                <Table.Th w={130}>{t.choice}</Table.Th>
                <Table.Th w={300}>{t.keptFor}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {purposes.map((purpose) => (
                <Table.Tr key={purpose.purpose} data-purpose={purpose.purpose} data-granted={purpose.granted}>
                  <Table.Td fz="sm">{purposeLabel(purpose.purpose, language)}</Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={purpose.granted ? 'teal' : 'gray'}>
                      {purpose.granted ? t.events.granted : t.events.declined}
                    </Badge>
                  </Table.Td>
                  <Table.Td fz="sm">{termination(t, purpose.termination)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
        <div>
          <Title order={3} size="h5" mb={4}>
            {t.history}
          </Title>
          <Table aria-label={t.history} highlightOnHover={false} verticalSpacing={4} withTableBorder>
            <Table.Tbody>
              {signed.events.map((event, index) => (
                <Table.Tr key={index}>
                  <Table.Td fz="sm" w={230}>
                    {when(t, event.at)}
                  </Table.Td>
                  <Table.Td fz="sm">{purposeLabel(event.purpose, language)}</Table.Td>
                  <Table.Td fz="sm" w={130}>
                    {t.events[event.event]}
                  </Table.Td>
                  <Table.Td fz="sm" w={160}>
                    {officerLabel(event.officerId)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Text size="sm" mt={6}>
            {t.withdrawNote}
          </Text>
        </div>
        <div className="nexis-receipt-signature">
          <Text size="xs" fw={600}>
            {t.signature}
          </Text>
          <Text size="xs" ff="monospace" className="nexis-receipt-hash">
            {signed.signature}
          </Text>
          <Text size="xs" c="dimmed">
            {t.publicKey}: <span className="nexis-receipt-hash">{signed.publicKey}</span>
          </Text>
        </div>
      </Stack>
    </Paper>
  );
}

export function ReceiptView({ receiptId, onBack, backLabel }: ReceiptViewProps) {
  const { officer } = useSession();
  const receipt = useNexisQuery('consent:receipt', { receiptId });
  const applicantId = receipt.data?.receipt.piiPrincipalId ?? '';
  const detail = useNexisQuery('applicants:get', { applicantId }, applicantId !== '');
  const mayReveal = canCall(officer.role, 'applicants:reveal');
  const reveal = useNexisMutation('applicants:reveal');
  const [fullName, setFullName] = useState<string | null>(null);

  const print = async (): Promise<void> => {
    if (mayReveal && fullName === null && applicantId !== '') {
      const result = await reveal.run({ applicantId, field: 'fullName' });
      if (result.ok) {
        // The clear name must be on the page before the print dialog takes its snapshot.
        flushSync(() => setFullName(result.value.value));
      }
    }
    window.print();
  };

  return (
    <Stack gap="lg">
      <div className="nexis-no-print">
        <ScreenHeader
          title={`Consent receipt ${receiptId}`}
          description="Hand this page to the applicant: print it or save it as a PDF (one A4 page, with their name)."
          actions={
            <Group gap="sm">
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
                loading={reveal.pending}
                onClick={() => void print()}
              >
                Print / Save as PDF
              </Button>
            </Group>
          }
        />
      </div>
      {receipt.data ? (
        <ReceiptBody signed={receipt.data} applicantName={fullName ?? detail.data?.personal?.fullName ?? null} />
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
