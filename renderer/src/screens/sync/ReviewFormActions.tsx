import { Button, Group } from '@mantine/core';

/** The first step's buttons of a console action form: Cancel, or submit the form to the review step. */
export function ReviewFormActions({ onCancel }: { onCancel(): void }) {
  return (
    <Group justify="flex-end" gap="sm">
      <Button variant="default" onClick={onCancel}>
        Cancel
      </Button>
      <Button type="submit">Review</Button>
    </Group>
  );
}
