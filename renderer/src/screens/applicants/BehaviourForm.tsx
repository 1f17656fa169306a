/** The behavioural data form, generated field by field from the feature specification (labels, units, ranges). */
import { Badge, Button, Card, Group, NumberInput, Select, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import type { Feature } from '../../../../shared/features';
import { checkFeatureValue } from '../../../../shared/features';
import type { BehaviouralRecord } from '../../../../shared/ipc/applicants';
import { errorCode, describeError } from '../../errors';
import { FEATURES, formatNumber } from '../../features';
import { formatDateTime } from '../../format';
import { useNexisMutation } from '../../hooks';

type FormValue = number | string;
type FormValues = Record<string, FormValue>;

export interface BehaviourFormProps {
  applicantId: string;
  record: BehaviouralRecord | null;
  /** False when the officer may only read (auditor) or consent is missing */
  editable: boolean;
  onSaved(): void;
}

function initialValues(record: BehaviouralRecord | null): FormValues {
  const values: FormValues = {};
  for (const feature of FEATURES) {
    const value = record?.values[feature.key];
    values[feature.key] = value === null || value === undefined ? '' : value;
  }
  return values;
}

function toValue(value: FormValue | undefined): number | string | null {
  return value === undefined || value === '' ? null : value;
}

function rangeText(feature: Feature): string {
  return feature.kind === 'categorical'
    ? ''
    : `${formatNumber(feature.min)} to ${formatNumber(feature.max)} ${feature.unit}`;
}

/** Splits the core's "Invalid input — key: message; key: message" into field errors. */
function fieldErrors(message: string): Record<string, string> {
  const errors: Record<string, string> = {};
  const body = message.replace(/^Invalid input — /, '');
  for (const part of body.split('; ')) {
    const match = /^([a-z][A-Za-z0-9]*): (.*)$/.exec(part);
    if (match?.[1] && match[2] && FEATURES.some((f) => f.key === match[1])) {
      errors[match[1]] = match[2];
    }
  }
  return errors;
}

function FeatureInput({ feature, inputProps, disabled }: { feature: Feature; inputProps: object; disabled: boolean }) {
  const common = {
    label: feature.label.en,
    description: `${feature.description.en} ${feature.kind === 'categorical' ? '' : `Range: ${rangeText(feature)}.`}`,
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
  return (
    <NumberInput
      {...common}
      min={feature.min}
      max={feature.max}
      allowDecimal={feature.kind === 'numeric'}
      allowNegative={feature.min < 0}
      thousandSeparator=","
      rightSection={
        <Text size="xs" c="dimmed" pr={6} style={{ whiteSpace: 'nowrap' }}>
          {feature.unit}
        </Text>
      }
      rightSectionWidth={Math.max(48, feature.unit.length * 7 + 14)}
      rightSectionPointerEvents="none"
      hideControls
      placeholder={feature.required ? undefined : 'Leave empty if none'}
      {...inputProps}
    />
  );
}

export function BehaviourForm({ applicantId, record, editable, onSaved }: BehaviourFormProps) {
  const form = useForm<FormValues>({
    initialValues: initialValues(record),
    validate: Object.fromEntries(
      FEATURES.map((feature) => [
        feature.key,
        (value: FormValue) => checkFeatureValue(feature, toValue(value))?.message ?? null,
      ]),
    ),
  });
  const save = useNexisMutation('applicants:saveFeatures', {
    successMessage: 'Behavioural data saved.',
    onError: (error) => {
      if (errorCode(error) === 'INVALID_INPUT') {
        form.setErrors(fieldErrors(describeError(error)));
      }
    },
  });

  const submit = form.onSubmit(async (values) => {
    const result = await save.run({
      applicantId,
      values: Object.fromEntries(FEATURES.map((feature) => [feature.key, toValue(values[feature.key])])),
    });
    if (result.ok) {
      onSaved();
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
