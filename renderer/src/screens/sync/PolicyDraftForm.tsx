/** Prepares a policy release for offline signing: the fields, checked here, become the file `release:sign` reads. */
import {
  ActionIcon,
  Button,
  Checkbox,
  Code,
  CopyButton,
  Group,
  JsonInput,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { parseNumberField, type NumberFieldRule } from '../../../../shared/rules/number-field';
import { CUTOFF_LABELS } from '../../../../shared/rules/policy-cutoffs';
import { IconCheck, IconCopy } from '../../components/icons';
import { officerNumberSymbols } from '../../format';
import { EMPTY_POLICY, policyRules, REASON_TEXTS_EXAMPLE, toPolicyRelease, type PolicyValues } from './policy-form';

interface DraftValues extends PolicyValues {
  serial: string;
  largeMove: boolean;
}

const MAX_SERIAL = 1_000_000_000;

const SERIAL_RULE: NumberFieldRule = { label: 'Serial', unit: '', min: 1, max: MAX_SERIAL, integer: true };

function serialError(value: string): string | null {
  const parsed = parseNumberField(SERIAL_RULE, value, officerNumberSymbols());
  return parsed.ok ? null : `${parsed.message} It must be higher than the serial of the release in force.`;
}

function serialValue(value: string): number {
  const parsed = parseNumberField(SERIAL_RULE, value, officerNumberSymbols());
  return parsed.ok ? parsed.value : Number.NaN;
}

/** The JSON `npm run release:sign` reads: kind, serial and the release. */
function toSign(values: DraftValues): string {
  const release = toPolicyRelease(values);
  return JSON.stringify(
    {
      kind: 'policy',
      serial: serialValue(values.serial),
      release: values.largeMove ? { ...release, largeMove: true } : release,
    },
    null,
    2,
  );
}

export function PolicyDraftForm({ onCancel }: { onCancel(): void }) {
  const [draft, setDraft] = useState<string | null>(null);
  const form = useForm<DraftValues>({
    initialValues: { ...EMPTY_POLICY, serial: '', largeMove: false },
    validateInputOnBlur: true,
    validate: { ...policyRules, serial: serialError },
  });

  if (draft !== null) {
    return (
      <Stack gap="sm" data-step="draft">
        <Text size="sm">
          Save this as <Code>policy.json</Code>, then sign it offline where the bank's release key is kept:
        </Text>
        <Code block fz="xs">
          npm run release:sign -- policy.json --key &lt;release-key.pem&gt;
        </Code>
        <Group align="flex-start" gap="xs" wrap="nowrap">
          <Code block fz="xs" style={{ flex: 1 }} data-testid="policy-to-sign">
            {draft}
          </Code>
          <CopyButton value={draft} timeout={1500}>
            {({ copied, copy }) => (
              <Tooltip label={copied ? 'Copied' : 'Copy the release to sign'}>
                <ActionIcon variant="default" size="lg" onClick={copy} aria-label="Copy the release to sign">
                  {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
                </ActionIcon>
              </Tooltip>
            )}
          </CopyButton>
        </Group>
        <Text size="sm" c="dimmed">
          Bring back <Code>policy.signed.json</Code> and propose it under “Signed release”.
        </Text>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={() => setDraft(null)}>
            Back
          </Button>
          <Button onClick={onCancel}>Done</Button>
        </Group>
      </Stack>
    );
  }

  return (
    <form onSubmit={form.onSubmit((values) => setDraft(toSign(values)))} noValidate>
      <Stack gap="md">
        <SimpleGrid cols={2} spacing="md">
          <TextInput
            label="Version"
            description="A new version each time, e.g. 2026.11-1"
            withAsterisk
            {...form.getInputProps('version')}
          />
          <TextInput
            label={SERIAL_RULE.label}
            description="Higher than the release in force"
            inputMode="numeric"
            autoComplete="off"
            withAsterisk
            {...form.getInputProps('serial')}
          />
          <TextInput
            label={CUTOFF_LABELS.approve}
            description="Score points, at or above: approve"
            inputMode="numeric"
            autoComplete="off"
            withAsterisk
            {...form.getInputProps('approve')}
          />
          <TextInput
            label={CUTOFF_LABELS.refer}
            description="At or above (below approve): refer"
            inputMode="numeric"
            autoComplete="off"
            withAsterisk
            {...form.getInputProps('refer')}
          />
        </SimpleGrid>
        <JsonInput
          label="Reason texts (optional)"
          description='JSON: reason code → {"en": "…", "sw": "…"}; leave empty for none'
          placeholder={REASON_TEXTS_EXAMPLE}
          autosize
          minRows={4}
          maxRows={12}
          validationError="Not valid JSON"
          {...form.getInputProps('reasonTexts')}
        />
        <Checkbox
          label="A large move: a cut-off moves by more than the branches' step limit, on purpose"
          {...form.getInputProps('largeMove', { type: 'checkbox' })}
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit">Show the file to sign</Button>
        </Group>
      </Stack>
    </form>
  );
}
