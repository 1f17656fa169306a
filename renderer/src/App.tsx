/** Providers (theme, notifications, auth, query cache, modals) around the auth gate that picks the screen. */
import { MantineProvider } from '@mantine/core';
import { ModalsProvider } from '@mantine/modals';
import { Notifications } from '@mantine/notifications';
import { NexisQueryProvider } from './api/NexisQueryProvider';
import { AuthGate, AuthProvider } from './auth';
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
      <AuthProvider>
        <NexisQueryProvider>
          <ModalsProvider labels={{ confirm: 'Confirm', cancel: 'Cancel' }}>
            <AuthGate />
          </ModalsProvider>
        </NexisQueryProvider>
      </AuthProvider>
    </MantineProvider>
  );
}
