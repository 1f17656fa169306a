import { Button, Card, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useId, useState, type ReactNode } from 'react';
import { IconKey, IconModel, IconSettings, IconTrash, IconUpload } from '../../components/icons';
import { ApplicantRequestModal, type ApplicantRequestKind } from './ApplicantRequestModal';
import { EnrolmentCodeModal } from './EnrolmentCodeModal';
import { PublishModelModal } from './PublishModelModal';
import { PublishPolicyModal } from './PublishPolicyModal';

type Open = 'code' | 'policy' | 'model' | ApplicantRequestKind | null;

function Action({ icon, label, hint, onClick }: { icon: ReactNode; label: string; hint: string; onClick(): void }) {
  const hintId = useId();
  return (
    <Button
      aria-label={label}
      aria-describedby={hintId}
      variant="default"
      leftSection={icon}
      onClick={onClick}
      justify="flex-start"
      h="auto"
      py={8}
      styles={{ label: { whiteSpace: 'normal', textAlign: 'left' } }}
    >
      <Stack gap={0} align="flex-start">
        <span>{label}</span>
        <Text span size="xs" c="dimmed" fw={400} id={hintId}>
          {hint}
        </Text>
      </Stack>
    </Button>
  );
}

/** What an administrator can send to every branch: enrolment codes, policy and model releases, applicant requests. */
export function ConsoleActions() {
  const [open, setOpen] = useState<Open>(null);
  const close = (): void => setOpen(null);
  return (
    <Card component="section" aria-labelledby="console-actions-title" h="100%">
      <Stack gap="md">
        <div>
          <Title order={3} size="h4" id="console-actions-title">
            Actions
          </Title>
          <Text size="sm" c="dimmed">
            Releases and erasures are proposals: they reach the branches once a second administrator with the same role
            approves them. Each step is recorded by the central API.
          </Text>
        </div>
        <SimpleGrid cols={1} spacing="xs">
          <Action
            icon={<IconKey size={16} />}
            label="Enrolment code"
            hint="Enrol a new workstation for a branch"
            onClick={() => setOpen('code')}
          />
          <Action
            icon={<IconSettings size={16} />}
            label="Publish policy"
            hint="Propose score cut-offs and reason texts"
            onClick={() => setOpen('policy')}
          />
          <Action
            icon={<IconModel size={16} />}
            label="Publish model release"
            hint="Propose a signed model package from this workstation"
            onClick={() => setOpen('model')}
          />
          <Action
            icon={<IconTrash size={16} />}
            label="Erasure request"
            hint="Propose erasing an applicant at every branch"
            onClick={() => setOpen('erasure')}
          />
          <Action
            icon={<IconUpload size={16} />}
            label="Consent withdrawal"
            hint="Pass on a withdrawn consent"
            onClick={() => setOpen('withdrawal')}
          />
        </SimpleGrid>
      </Stack>
      <EnrolmentCodeModal opened={open === 'code'} onClose={close} />
      <PublishPolicyModal opened={open === 'policy'} onClose={close} />
      <PublishModelModal opened={open === 'model'} onClose={close} />
      <ApplicantRequestModal kind={open === 'erasure' || open === 'withdrawal' ? open : null} onClose={close} />
    </Card>
  );
}
