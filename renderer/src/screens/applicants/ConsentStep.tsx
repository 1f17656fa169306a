import {
  Alert,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  Paper,
  SegmentedControl,
  Select,
  Skeleton,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import {
  CONSENT_PURPOSES,
  REQUIRED_PURPOSE,
  RETENTION_MONTHS,
  type ConsentLanguage,
  type ConsentPurpose,
  type RetentionMonths,
} from '../../../../shared/domain/consent';
import type { ConsentInput } from '../../../../shared/ipc/applicants';
import { HashValue } from '../../components/hash-value';
import { SimpleMarkdown } from '../../components/simple-markdown';
import { useNexisQuery } from '../../hooks';
import { LANGUAGE_LABELS, purposeLabel } from './applicant-labels';

export interface ConsentStepProps {
  submitting: boolean;
  onBack(): void;
  onSubmit(consent: ConsentInput): void;
}

const RETENTION_OPTIONS = RETENTION_MONTHS.map((months) => ({
  value: String(months),
  label: `${months} months (${months / 12} year${months === 12 ? '' : 's'})`,
}));

/** Step 2: the notice shown in full in the applicant's language, then one choice per purpose. */
export function ConsentStep({ submitting, onBack, onSubmit }: ConsentStepProps) {
  const [language, setLanguage] = useState<ConsentLanguage>('en');
  const notice = useNexisQuery('consent:notice', { language });
  const [grants, setGrants] = useState<Record<ConsentPurpose, boolean>>({
    'credit-scoring': false,
    'central-sync': false,
    'credit-bureau-sharing': false,
  });
  const [retention, setRetention] = useState<RetentionMonths>(24);
  const [agreed, setAgreed] = useState(false);
  const [tried, setTried] = useState(false);
  const shown = notice.data?.language === language ? notice.data : null;

  const missing = !grants[REQUIRED_PURPOSE] ? 'Credit scoring is needed to assess the application.' : null;
  const submit = (): void => {
    setTried(true);
    if (shown === null || missing !== null || !agreed) {
      return;
    }
    onSubmit({
      language,
      noticeVersion: shown.version,
      noticeSha256: shown.sha256,
      grants,
      retentionMonths: retention,
    });
  };

  return (
    <Stack gap="lg" maw={860}>
      <Group gap="md" align="flex-end">
        <Stack gap={4}>
          <Text size="sm" fw={500} id="consent-language-label">
            Language of the notice
          </Text>
          <SegmentedControl
            aria-labelledby="consent-language-label"
            value={language}
            onChange={(value) => setLanguage(value as ConsentLanguage)}
            data={[
              { value: 'en', label: LANGUAGE_LABELS.en },
              { value: 'sw', label: LANGUAGE_LABELS.sw },
            ]}
          />
        </Stack>
        {shown ? (
          <Group gap="xs" pb={6}>
            <Badge variant="light">Notice version {shown.version}</Badge>
            <HashValue value={shown.sha256} label="notice SHA-256" />
          </Group>
        ) : null}
      </Group>
      <Paper withBorder p="lg" radius="md" component="article" aria-label="Consent notice" data-testid="consent-notice">
        {shown ? <SimpleMarkdown text={shown.text} /> : <Skeleton h={320} />}
      </Paper>
      <Card component="fieldset" style={{ margin: 0 }}>
        <Stack gap="md">
          <Title order={2} size="h4" component="legend">
            The applicant's choices
          </Title>
          {CONSENT_PURPOSES.map((purpose) => (
            <Checkbox
              key={purpose}
              label={
                <>
                  {purposeLabel(purpose, language)}
                  {purpose === REQUIRED_PURPOSE ? (
                    <Text span c="dimmed" size="sm">
                      {' '}
                      (required)
                    </Text>
                  ) : (
                    <Text span c="dimmed" size="sm">
                      {' '}
                      (optional)
                    </Text>
                  )}
                </>
              }
              description={language === 'sw' ? purposeLabel(purpose, 'en') : undefined}
              checked={grants[purpose]}
              onChange={(event) => {
                const checked = event.currentTarget.checked;
                setGrants((previous) => ({ ...previous, [purpose]: checked }));
              }}
              error={purpose === REQUIRED_PURPOSE && tried ? missing : null}
            />
          ))}
          <Select
            label="Keep the data for"
            data={RETENTION_OPTIONS}
            value={String(retention)}
            onChange={(value) => setRetention(Number(value ?? '24') as RetentionMonths)}
            allowDeselect={false}
            maw={280}
          />
          <Checkbox
            label="The applicant has read or been read the notice and agrees"
            checked={agreed}
            onChange={(event) => setAgreed(event.currentTarget.checked)}
            error={tried && !agreed ? 'Confirm that the applicant knows the notice and agrees.' : null}
          />
        </Stack>
      </Card>
      {tried && shown === null ? (
        <Alert color="red" variant="light">
          The notice could not be loaded, so consent cannot be recorded.
        </Alert>
      ) : null}
      <Group justify="flex-end" gap="sm">
        <Button variant="default" onClick={onBack}>
          Back
        </Button>
        <Button onClick={submit} loading={submitting}>
          Register and sign receipt
        </Button>
      </Group>
    </Stack>
  );
}
