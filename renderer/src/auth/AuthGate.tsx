/**
 * Chooses the screen from the auth state: first run, sign-in, locked, forced password change, or the workstation.
 * A locked workstation stays mounted but hidden under the Locked screen, so an officer's unsaved form survives
 * an idle lock; it is dropped as soon as the session ends.
 */
import { Button, Center, Loader, Stack, Text } from '@mantine/core';
import { modals } from '@mantine/modals';
import { Suspense, useEffect, useState } from 'react';
import { AuthLayout } from '../components/auth-layout';
import { retryableLazy } from '../components/error-boundary';
import { LockedScreen } from '../screens/locked';
import { SignInScreen } from '../screens/sign-in';
import { useAuth } from './auth-context';

// What shows before sign-in loads with the app (sign-in, and the lock screen, which must appear at once); the
// workstation (it loads each screen lazily in turn) and the once-only screens are chunks of their own.
const WorkstationShell = retryableLazy(() => import('../shell/WorkstationShell').then((m) => m.WorkstationShell));
const FirstRunScreen = retryableLazy(() => import('../screens/first-run').then((m) => m.FirstRunScreen));
const ChangePasswordScreen = retryableLazy(() =>
  import('../screens/change-password').then((m) => m.ChangePasswordScreen),
);

function Opening() {
  return (
    <Center mih="100vh">
      <Stack align="center" gap="sm">
        <Loader />
        <Text size="sm" c="dimmed">
          Opening the workstation…
        </Text>
      </Stack>
    </Center>
  );
}

function Unavailable({ message, onRetry }: { message: string; onRetry(): void }) {
  return (
    <AuthLayout title="The workstation is not responding" description={message}>
      <Button onClick={onRetry}>Try again</Button>
    </AuthLayout>
  );
}

export function AuthGate() {
  const { phase, session, loadError, refresh } = useAuth();
  // Whether the workstation was open before this lock; kept as state from the previous render (React's pattern
  // for deriving from earlier props), so a workstation is never mounted behind a lock it was not open under.
  const [shellOpen, setShellOpen] = useState(false);
  const keepShell = phase === 'ready' || (phase === 'locked' && shellOpen);
  if (keepShell !== shellOpen) {
    setShellOpen(keepShell);
  }
  const sessionKey = session ? `${session.officer.id}@${session.signedInAt}` : 'none';

  useEffect(() => {
    if (phase !== 'ready') {
      modals.closeAll();
    }
  }, [phase]);

  switch (phase) {
    case 'loading':
      return <Opening />;
    case 'unavailable':
      return <Unavailable message={loadError ?? 'Unknown error'} onRetry={() => void refresh()} />;
    case 'first-run':
      return (
        <Suspense fallback={<Opening />}>
          <FirstRunScreen />
        </Suspense>
      );
    case 'sign-in':
      return <SignInScreen />;
    case 'change-password':
      return (
        <Suspense fallback={<Opening />}>
          <ChangePasswordScreen />
        </Suspense>
      );
    case 'locked':
    case 'ready':
      return (
        <>
          {keepShell ? (
            <div key={sessionKey} hidden={phase === 'locked'} data-workstation-hidden={phase === 'locked' || undefined}>
              <Suspense fallback={<Opening />}>
                <WorkstationShell />
              </Suspense>
            </div>
          ) : null}
          {phase === 'locked' ? <LockedScreen /> : null}
        </>
      );
  }
}
