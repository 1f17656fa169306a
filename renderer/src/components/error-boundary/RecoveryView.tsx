import { Button, Group, Paper, Stack } from '@mantine/core';
import { ScreenHeader } from '../screen-header';

export interface RecoveryViewProps {
  /** The h1 @default 'This screen stopped working' */
  title?: string;
  /** @default 'Your session is still open and nothing you saved is lost.' */
  description?: string;
  /** Mounts the failed part again. */
  onReload: () => void;
  /** @default 'Reload this screen' */
  reloadLabel?: string;
  /** A way out to a screen that works, e.g. the role's landing screen; shown as "Go to <label>". */
  goTo?: { readonly label: string; readonly onGo: () => void };
}

/**
 * What the officer sees instead of a screen that threw: plain words, no error text (it may quote applicant data), and
 * two ways on. The heading takes the focus like any new screen's, so a screen reader says what happened.
 */
export function RecoveryView({
  title = 'This screen stopped working',
  description = 'Your session is still open and nothing you saved is lost.',
  onReload,
  reloadLabel = 'Reload this screen',
  goTo,
}: RecoveryViewProps) {
  return (
    <Paper withBorder radius="md" p="xl" maw={640} data-testid="recovery-view">
      <Stack gap={0}>
        <ScreenHeader title={title} description={description} />
        <Group gap="sm">
          <Button onClick={onReload}>{reloadLabel}</Button>
          {goTo ? (
            <Button variant="default" onClick={goTo.onGo}>
              Go to {goTo.label}
            </Button>
          ) : null}
        </Group>
      </Stack>
    </Paper>
  );
}
