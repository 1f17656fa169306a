import { Alert, Button, Group, Stack, type MantineColor } from '@mantine/core';
import type { ReactNode } from 'react';
import { IconAlert } from '../../components/icons';

export interface ReviewStepProps {
  /** What will happen, in plain words */
  children: ReactNode;
  confirmLabel: string;
  /** @default 'nexis' */
  color?: MantineColor;
  pending: boolean;
  onBack(): void;
  onConfirm(): void;
}

/** The second step of a console action: what it will do to every branch, then Back or the action itself. */
export function ReviewStep({ children, confirmLabel, color, pending, onBack, onConfirm }: ReviewStepProps) {
  return (
    <Stack gap="md" data-step="review">
      <Alert color={color ?? 'yellow'} variant="light" icon={<IconAlert />} title="Check before you go on">
        {children}
      </Alert>
      <Group justify="flex-end" gap="sm">
        <Button variant="default" onClick={onBack} disabled={pending}>
          Back
        </Button>
        <Button color={color} onClick={onConfirm} loading={pending} data-autofocus>
          {confirmLabel}
        </Button>
      </Group>
    </Stack>
  );
}
