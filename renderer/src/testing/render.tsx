/**
 * Renders a component the way the app does (Mantine theme, notifications, modals, the query cache, a signed-in
 * session) over a fake `window.nexis`, for renderer component tests. Import only from `*.test.tsx` files.
 */
import { MantineProvider } from '@mantine/core';
import { ModalsProvider } from '@mantine/modals';
import { Notifications } from '@mantine/notifications';
import type { QueryClient } from '@tanstack/react-query';
import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement, ReactNode } from 'react';
import type { Role } from '../../../shared/domain/roles';
import type { OfficerView, SessionView } from '../../../shared/ipc/auth';
import { NexisQueryProvider } from '../api/NexisQueryProvider';
import { AuthContext, type AuthContextValue } from '../auth/auth-context';
import { cssVariablesResolver, theme } from '../theme';
import { installFakeNexis, type FakeHandlers, type FakeNexis } from './fake-nexis';

export function testOfficer(role: Role = 'officer', overrides: Partial<OfficerView> = {}): OfficerView {
  return {
    id: `officer-${role}`,
    username: `test.${role}`,
    displayName: `Test ${role}`,
    role,
    status: 'active',
    mustChangePassword: false,
    lockedUntil: null,
    createdAt: '2026-01-05T08:00:00.000Z',
    ...overrides,
  };
}

export function testSession(role: Role = 'officer'): SessionView {
  return { officer: testOfficer(role), locked: false, idleTimeoutMs: 600_000, signedInAt: '2026-01-05T08:30:00.000Z' };
}

export interface RenderOptions {
  /** Answers of the fake core, by channel. */
  handlers?: FakeHandlers;
  /** The signed-in session @default an officer */
  session?: SessionView;
  /** A query client to use (to inspect the cache); otherwise a fresh one. */
  queryClient?: QueryClient;
}

export interface Rendered extends RenderResult {
  readonly nexis: FakeNexis;
  /** How often a session error made the app re-read its auth state. */
  readonly authRefreshes: () => number;
}

export function renderWithProviders(ui: ReactElement, options: RenderOptions = {}): Rendered {
  const nexis = installFakeNexis(options.handlers);
  const session = options.session ?? testSession();
  let refreshes = 0;
  const auth: AuthContextValue = {
    phase: 'ready',
    status: { setupRequired: false, deviceId: 'test-device', session },
    session,
    loadError: null,
    refresh: () => {
      refreshes += 1;
      return Promise.resolve();
    },
    setSession: () => undefined,
    markLocked: () => undefined,
  };
  const wrapper = ({ children }: { children: ReactNode }) => (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver}>
      <Notifications />
      <AuthContext.Provider value={auth}>
        <NexisQueryProvider client={options.queryClient}>
          <ModalsProvider>{children}</ModalsProvider>
        </NexisQueryProvider>
      </AuthContext.Provider>
    </MantineProvider>
  );
  const result = render(ui, { wrapper });
  return Object.assign(result, { nexis, authRefreshes: () => refreshes });
}
