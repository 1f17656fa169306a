/** Providers (theme, notifications, auth, query cache, modals) around the auth gate that picks the screen. */
import { Center, MantineProvider } from '@mantine/core';
import { ModalsProvider } from '@mantine/modals';
import { Notifications } from '@mantine/notifications';
import { NexisQueryProvider } from './api/NexisQueryProvider';
import { AuthGate, AuthProvider } from './auth';
import { ErrorBoundary, RecoveryView } from './components/error-boundary';
import { reportRendererError } from './errors/report-error';
import { colorSchemeManager, cssVariablesResolver, theme } from './theme';

export function App() {
  return (
    <MantineProvider
      theme={theme}
      cssVariablesResolver={cssVariablesResolver}
      colorSchemeManager={colorSchemeManager}
      defaultColorScheme="auto"
    >
      <Notifications position="bottom-right" limit={3} containerWidth={400} />
      {/*
        Errors outside a workstation screen (sign-in, the shell itself, a provider). Starting again remounts the
        providers, which read the session from the core: the officer is still signed in afterwards.
      */}
      <ErrorBoundary
        onError={(error) => reportRendererError('app', error)}
        fallback={({ reset }) => (
          <Center mih="100vh" p="xl" component="main">
            <RecoveryView
              title="The workstation stopped working"
              description="Nothing you saved is lost. Start it again to carry on where you were."
              onReload={reset}
              reloadLabel="Start again"
            />
          </Center>
        )}
      >
        <AuthProvider>
          <NexisQueryProvider>
            <ModalsProvider labels={{ confirm: 'Confirm', cancel: 'Cancel' }}>
              <AuthGate />
            </ModalsProvider>
          </NexisQueryProvider>
        </AuthProvider>
      </ErrorBoundary>
    </MantineProvider>
  );
}
