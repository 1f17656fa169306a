import {
  ActionIcon,
  Alert,
  Button,
  Code,
  CopyButton,
  Group,
  Modal,
  NumberInput,
  Stack,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import type { ChannelOutput } from '../../../../shared/ipc/contract';
import { IconCheck, IconCopy, IconKey } from '../../components/icons';
import { useAuth } from '../../auth';
import { formatDateTime } from '../../format';
import { useNexisMutation } from '../../hooks';
import { branchIdRule } from './console-rules';

const MAX_TTL_MINUTES = 7 * 24 * 60;

interface CodeValues {
  branchId: string;
  ttlMinutes: number | string;
}

export interface EnrolmentCodeModalProps {
  opened: boolean;
  onClose(): void;
}

function ttlError(value: number | string): string | null {
  const minutes = Number(value);
  return Number.isInteger(minutes) && minutes >= 1 && minutes <= MAX_TTL_MINUTES
    ? null
    : `A whole number of minutes from 1 to ${MAX_TTL_MINUTES} (7 days)`;
}

/** Creates a one-time enrolment code for a branch and shows it once; the central API keeps only its hash. */
export function EnrolmentCodeModal({ opened, onClose }: EnrolmentCodeModalProps) {
  const { phase } = useAuth();
  const [created, setCreated] = useState<ChannelOutput<'console:createEnrolmentCode'> | null>(null);
  const form = useForm<CodeValues>({
    initialValues: { branchId: '', ttlMinutes: 60 },
    validate: { branchId: branchIdRule, ttlMinutes: ttlError },
  });
  const create = useNexisMutation('console:createEnrolmentCode');

  const close = (): void => {
    form.reset();
    setCreated(null);
    onClose();
  };

  const submit = form.onSubmit(async (values) => {
    const result = await create.run({
      branchId: values.branchId.trim().toUpperCase(),
      ttlMinutes: Number(values.ttlMinutes),
    });
    if (result.ok) {
      setCreated(result.value);
    }
  });

  return (
    <Modal opened={opened && phase === 'ready'} onClose={close} title="Enrolment code" centered size="md">
      {created ? (
        <Stack gap="md" data-testid="enrolment-code-result">
          <Text size="sm">
            One-time code for branch <strong>{created.branchId}</strong>. Type it on the new workstation's Sync console.
            It is shown only now and enrols exactly one workstation.
          </Text>
          <Group gap="xs" justify="center" wrap="nowrap">
            <Code fz="xl" px="md" py="xs" data-testid="enrolment-code" style={{ letterSpacing: '0.06em' }}>
              {created.code}
            </Code>
            <CopyButton value={created.code} timeout={1500}>
              {({ copied, copy }) => (
                <Tooltip label={copied ? 'Copied' : 'Copy the code'}>
                  <ActionIcon variant="default" size="lg" onClick={copy} aria-label="Copy the enrolment code">
                    {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
                  </ActionIcon>
                </Tooltip>
              )}
            </CopyButton>
          </Group>
          <Alert color="gray" variant="light">
            Expires {formatDateTime(created.expiresAt)}. Close this window once the code is written down.
          </Alert>
          <Group justify="flex-end">
            <Button onClick={close}>Done</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            <TextInput
              label="Branch id"
              description="Capital letters, digits and dashes, e.g. NBO-01"
              placeholder="NBO-01"
              data-autofocus
              withAsterisk
              {...form.getInputProps('branchId')}
            />
            <NumberInput
              label="Valid for (minutes)"
              description="At most 7 days"
              min={1}
              max={MAX_TTL_MINUTES}
              allowDecimal={false}
              w={220}
              withAsterisk
              {...form.getInputProps('ttlMinutes')}
            />
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" leftSection={<IconKey size={16} />} loading={create.pending}>
                Create code
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
