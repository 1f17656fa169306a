/**
 * The behavioural data form, generated field by field from the feature specification (labels, units, ranges).
 * Fields are text, read by the shared locale parser: what the officer typed is either stored exactly as meant or
 * refused with a message under the field; nothing is clamped or rounded on blur. Percent fields are typed in percent
 * and stored as the share. Edits not yet saved are kept as a draft for the session, so a tab switch loses nothing.
 */
import { Alert, Badge, Button, Card, Group, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMemo, useState } from 'react';
import type { Feature } from '../../../../shared/features';
import { inputDescription, inputUnit, parseFeatureInput, rangeText, toInputText } from '../../../../shared/features';
import type { BehaviouralRecord } from '../../../../shared/ipc/applicants';
import { useSession } from '../../auth';
import { clearUnsaved, setUnsavedScope, unsavedDraft, useUnsavedInput } from '../../components/form-rules';
import { errorCode, fieldMessages } from '../../errors';
import { FEATURES } from '../../features';
import { formatDateTime, officerNumberSymbols } from '../../format';
import { useNexisMutation } from '../../hooks';

type FormValues = Record<string, string>;

interface BehaviourDraft {
  /** The record the draft was typed over; a draft over an older record is not restored. */
  readonly recordId: string | null;
  readonly values: FormValues;
}

export interface BehaviourFormProps {
  applicantId: string;
  record: BehaviouralRecord | null;
  /** False when the officer may only read (auditor) or consent is missing */
  editable: boolean;
}

function initialValues(record: BehaviouralRecord | null): FormValues {
  const symbols = officerNumberSymbols();
  const values: FormValues = {};
  for (const feature of FEATURES) {
    values[feature.key] = toInputText(feature, record?.values[feature.key], symbols);
  }
  return values;
}

/** The core's refusal, field by field, for the fields of this form. */
function fieldErrors(error: unknown): Record<string, string> {
  const messages = fieldMessages(error);
  return Object.fromEntries(Object.entries(messages).filter(([key]) => FEATURES.some((f) => f.key === key)));
}

function FeatureInput({ feature, inputProps, disabled }: { feature: Feature; inputProps: object; disabled: boolean }) {
  const common = {
    label: feature.label.en,
    description:
      feature.kind === 'categorical'
        ? feature.description.en
        : `${inputDescription(feature)} Enter ${rangeText(feature, officerNumberSymbols())}.`,
    withAsterisk: feature.required,
    disabled,
    'data-feature': feature.key,
  };
  if (feature.kind === 'categorical') {
    return (
      <Select
        {...common}
        data={feature.categories.map((c) => ({ value: c.value, label: c.label.en }))}
        clearable={!feature.required}
        {...inputProps}
      />
    );
  }
  const unit = inputUnit(feature);
  return (
    <TextInput
      {...common}
      inputMode={feature.kind === 'integer' ? 'numeric' : 'decimal'}
      autoComplete="off"
      spellCheck={false}
      rightSection={
        <Text size="xs" c="dimmed" pr={6} style={{ whiteSpace: 'nowrap' }}>
          {unit}
        </Text>
      }
      rightSectionWidth={Math.max(48, unit.length * 7 + 14)}
      rightSectionPointerEvents="none"
      placeholder={feature.required ? undefined : 'Leave empty if none'}
      {...inputProps}
    />
  );
}

export function BehaviourForm({ applicantId, record, editable }: BehaviourFormProps) {
  const { officer, signedInAt } = useSession();
  const draftKey = `behaviour:${applicantId}`;
  const base = useMemo(() => initialValues(record), [record]);
  const recordId = record?.recordId ?? null;
  const [restored] = useState(() => {
    setUnsavedScope(`${officer.id}@${signedInAt}`);
    const draft = unsavedDraft<BehaviourDraft>(draftKey);
    return draft !== undefined && draft.recordId === recordId && editable ? draft.values : null;
  });
  const symbols = officerNumberSymbols();
  const problemOf = (feature: Feature, value: string): string | null => {
    const result = parseFeatureInput(feature, value, symbols);
    return result.ok ? null : result.message;
  };
  const form = useForm<FormValues>({
    initialValues: restored ?? base,
    // A restored draft shows its problems at once, as it did before the officer left the tab.
    initialErrors:
      restored === null
        ? {}
        : Object.fromEntries(
            FEATURES.flatMap((f) => {
              const problem = (restored[f.key] ?? '') === '' ? null : problemOf(f, restored[f.key] ?? '');
              return problem === null ? [] : [[f.key, problem]];
            }),
          ),
    validateInputOnBlur: true,
    validate: Object.fromEntries(
      FEATURES.map((feature) => [feature.key, (value: string) => problemOf(feature, value)]),
    ),
  });
  const dirty = editable && FEATURES.some((f) => form.values[f.key] !== base[f.key]);
  const draft = useMemo<BehaviourDraft>(() => ({ recordId, values: form.values }), [recordId, form.values]);
  useUnsavedInput(draftKey, `Behavioural data of ${applicantId}`, dirty, draft);

  const save = useNexisMutation('applicants:saveFeatures', {
    successMessage: 'Behavioural data saved.',
    onError: (error) => {
      if (errorCode(error) === 'INVALID_INPUT') {
        form.setErrors(fieldErrors(error));
      }
    },
  });

  const discard = (): void => {
    clearUnsaved(draftKey);
    form.setValues(base);
    form.clearErrors();
  };

  const submit = form.onSubmit(async (values) => {
    const parsed: Record<string, number | null> = {};
    for (const feature of FEATURES) {
      const result = parseFeatureInput(feature, values[feature.key] ?? '', symbols);
      if (!result.ok) {
        form.setFieldError(feature.key, result.message);
        return;
      }
      parsed[feature.key] = result.value;
    }
    const result = await save.run({ applicantId, values: parsed });
    if (result.ok) {
      // The applicant's page is read again by the query cache (api/invalidation.ts), which remounts this form.
      clearUnsaved(draftKey);
    }
  });

  return (
    <Card component="section" aria-labelledby="behaviour-title">
      <form onSubmit={submit} noValidate aria-label="Behavioural data">
        <Stack gap="md">
          <Group justify="space-between" align="flex-start">
            <div>
              <Title order={2} size="h4" id="behaviour-title">
                Behavioural data
              </Title>
              <Text size="sm" c="dimmed">
                Fields marked * are required. Leave an optional field empty when it does not apply.
              </Text>
            </div>
            {record ? (
              <Badge variant="light" color="gray">
                {record.source === 'form' ? 'Entered on the form' : 'Imported from a statement'} ·{' '}
                {formatDateTime(record.capturedAt)}
              </Badge>
            ) : (
              <Badge variant="light" color="yellow">
                Not captured yet
              </Badge>
            )}
          </Group>
          {dirty ? (
            <Alert color="yellow" variant="light" title="Not saved yet" data-testid="behaviour-unsaved">
              <Group justify="space-between" gap="sm">
                <Text size="sm">
                  {restored !== null
                    ? 'Your earlier edits are kept here until you save or discard them.'
                    : 'These edits are kept while you are signed in, even if you open another tab.'}
                </Text>
                <Button size="xs" variant="default" onClick={discard}>
                  Discard edits
                </Button>
              </Group>
            </Alert>
          ) : null}
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg" verticalSpacing="md">
            {FEATURES.map((feature) => (
              <FeatureInput
                key={feature.key}
                feature={feature}
                disabled={!editable}
                inputProps={form.getInputProps(feature.key)}
              />
            ))}
          </SimpleGrid>
          {editable ? (
            <Group justify="flex-end">
              <Button type="submit" loading={save.pending}>
                Save behavioural data
              </Button>
            </Group>
          ) : null}
        </Stack>
      </form>
    </Card>
  );
}
