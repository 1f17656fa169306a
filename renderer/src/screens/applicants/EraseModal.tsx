import { Button, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useAuth } from '../../auth';
import { useNexisMutation } from '../../hooks';
import { ERASE_REASONS, type EraseReason } from './applicant-labels';

export interface EraseModalProps {
  applicantId: string;
  opened: boolean;
  onClose(): void;
}

/** Crypto-shredding an applicant, confirmed by typing their id. */
export function EraseModal({ applicantId, opened, onClose }: EraseModalProps) {
  const { phase } = useAuth();
  const [typed, setTyped] = useState('');
  const [reason, setReason] = useState<EraseReason>('data-subject-request');
  const erase = useNexisMutation('applicants:erase', {
    successMessage: `The personal data of ${applicantId} was erased.`,
  });
  const matches = typed.trim().toUpperCase() === applicantId;

  const close = (): void => {
    setTyped('');
    onClose();
  };

  const confirm = async (): Promise<void> => {
    const result = await erase.run({ applicantId, reason });
    if (result.ok) {
      close();
    }
  };

  return (
    <Modal opened={opened && phase === 'ready'} onClose={close} title="Erase this applicant?" centered>
      <Stack gap="md">
        <Text size="sm">
          The applicant's data key is destroyed: name, contact details, behavioural data and letters can never be read
          again on any device. The audit trail keeps its pseudonymous entries and still verifies.
        </Text>
        <Select
          label="Reason"
          data={ERASE_REASONS.map((r) => ({ value: r.value, label: r.label }))}
          value={reason}
          onChange={(value) => setReason((value as EraseReason | null) ?? 'data-subject-request')}
          allowDeselect={false}
        />
        <TextInput
          label={`Type ${applicantId} to confirm`}
          value={typed}
          onChange={(event) => setTyped(event.currentTarget.value)}
          autoComplete="off"
          data-autofocus
          ff="monospace"
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={close}>
            Cancel
          </Button>
          <Button color="red" disabled={!matches} loading={erase.pending} onClick={() => void confirm()}>
            Erase permanently
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
