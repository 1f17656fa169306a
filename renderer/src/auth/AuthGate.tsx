/**
 * Chooses the screen from the auth state: first run, sign-in, locked, forced password change, or the workstation.
 * A locked workstation stays mounted but hidden under the Locked screen, so an officer's unsaved form survives
 * an idle lock; it is dropped as soon as the session ends.
 */
import { Button, Center, Loader, Stack, Text } from '@mantine/core';
import { modals } from '@mantine/modals';
import { useEffect, useState } from 'react';
import { AuthLayout } from '../components/auth-layout';
import { ChangePasswordScreen } from '../screens/change-password';
import { FirstRunScreen } from '../screens/first-run';
import { LockedScreen } from '../screens/locked';
import { SignInScreen } from '../screens/sign-in';
import { WorkstationShell } from '../shell';
import { useAuth } from './auth-context';

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
    case 'unavailable':
      return <Unavailable message={loadError ?? 'Unknown error'} onRetry={() => void refresh()} />;
    case 'first-run':
      return <FirstRunScreen />;
    case 'sign-in':
      return <SignInScreen />;
    case 'change-password':
      return <ChangePasswordScreen />;
    case 'locked':
    case 'ready':
      return (
        <>
          {keepShell ? (
            <div key={sessionKey} hidden={phase === 'locked'} data-workstation-hidden={phase === 'locked' || undefined}>
              <WorkstationShell />
            </div>
          ) : null}
          {phase === 'locked' ? <LockedScreen /> : null}
        </>
      );
  }
}
