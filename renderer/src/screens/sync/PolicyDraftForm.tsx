/** Prepares a policy release for offline signing: the fields, checked here, become the file `release:sign` reads. */
import {
  ActionIcon,
  Button,
  Checkbox,
  Code,
  CopyButton,
  Group,
  JsonInput,
  NumberInput,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { IconCheck, IconCopy } from '../../components/icons';
import { EMPTY_POLICY, policyRules, REASON_TEXTS_EXAMPLE, toPolicyRelease, type PolicyValues } from './policy-form';

interface DraftValues extends PolicyValues {
  serial: number | string;
  largeMove: boolean;
}

const MAX_SERIAL = 1_000_000_000;

function serialError(value: number | string): string | null {
  const serial = Number(value);
  return Number.isInteger(serial) && serial >= 1 && serial <= MAX_SERIAL
    ? null
    : 'A whole number above the serial of the release in force';
}

/** The JSON `npm run release:sign` reads: kind, serial and the release. */
function toSign(values: DraftValues): string {
  const release = toPolicyRelease(values);
  return JSON.stringify(
    {
      kind: 'policy',
      serial: Number(values.serial),
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
          <NumberInput
            label="Serial"
            description="Higher than the release in force"
            min={1}
            max={MAX_SERIAL}
            allowDecimal={false}
            withAsterisk
            {...form.getInputProps('serial')}
          />
          <NumberInput
            label="Approve cut-off"
            description="Score points, at or above: approve"
            allowDecimal={false}
            withAsterisk
            {...form.getInputProps('approve')}
          />
          <NumberInput
            label="Refer cut-off"
            description="At or above (below approve): refer"
            allowDecimal={false}
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
