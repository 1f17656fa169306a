/** The open workstation: header, role-dependent navigation, and the current screen (state-based, no URL router). */
import { AppShell, Center, Loader } from '@mantine/core';
import { Suspense, useState, type ComponentType } from 'react';
import { useSession } from '../auth';
import { retryableLazy, retryFailedLazyLoads, ScreenErrorBoundary } from '../components/error-boundary';
import { landingFor, navItemsFor, type ScreenId } from './navigation';
import { ShellNavigationContext, type ShellNavigation } from './shell-navigation';
import { ShellHeader } from './ShellHeader';
import { ShellNavbar } from './ShellNavbar';

/**
 * Each screen is its own chunk, loaded when first opened: the officer's first screen does not wait for the charts of
 * the sync console or the audit trail's tables (the build's JavaScript budget counts only what loads before sign-in).
 */
const SCREENS: Record<ScreenId, ComponentType> = {
  applicants: retryableLazy(() => import('../screens/applicants').then((m) => m.ApplicantsScreen)),
  referrals: retryableLazy(() => import('../screens/referrals').then((m) => m.ReferralsScreen)),
  audit: retryableLazy(() => import('../screens/audit').then((m) => m.AuditScreen)),
  batch: retryableLazy(() => import('../screens/batch').then((m) => m.BatchScreen)),
  officers: retryableLazy(() => import('../screens/officers').then((m) => m.OfficersScreen)),
  sync: retryableLazy(() => import('../screens/sync').then((m) => m.SyncConsoleScreen)),
  settings: retryableLazy(() => import('../screens/settings').then((m) => m.SettingsScreen)),
  status: retryableLazy(() => import('../screens/status').then((m) => m.StatusScreen)),
};

function CurrentScreen({ id }: { id: ScreenId }) {
  const Screen = SCREENS[id];
  return <Screen />;
}

function ScreenLoading() {
  return (
    <Center py={64} role="status" aria-label="Opening the screen">
      <Loader />
    </Center>
  );
}

export function WorkstationShell() {
  const { officer } = useSession();
  const items = navItemsFor(officer.role);
  const landing = landingFor(officer.role);
  // `visit` counts navigations: choosing a screen, even the one already open, starts it afresh (its list), so
  // "Applicants" on an applicant's page goes back to the applicant list.
  const [current, setCurrent] = useState<{ id: ScreenId; visit: number }>({ id: landing, visit: 0 });
  // A screen the role may not see (e.g. after signing in as someone else) falls back to the role's landing screen.
  const active = items.some((item) => item.id === current.id) ? current.id : landing;
  const navigation: ShellNavigation = {
    available: items.map((item) => item.id),
    navigate: (id) => {
      // A screen whose chunk failed to load tries again when the officer opens it again.
      retryFailedLazyLoads();
      setCurrent((previous) => ({ id, visit: previous.visit + 1 }));
    },
  };
  const landingItem = items.find((item) => item.id === landing);
  // A screen that throws shows the recovery view in its place; header and navigation stay. Its way out is the
  // landing screen, unless it is the landing screen (then "Reload this screen" is the way).
  const goTo =
    active === landing || !landingItem
      ? undefined
      : { label: landingItem.label, onGo: () => navigation.navigate(landing) };

  return (
    <ShellNavigationContext.Provider value={navigation}>
      <AppShell header={{ height: 64 }} navbar={{ width: 248, breakpoint: 'xs' }} padding="xl">
        <ShellHeader />
        <ShellNavbar items={items} active={active} onNavigate={navigation.navigate} />
        <AppShell.Main bg="light-dark(var(--mantine-color-gray-0), var(--mantine-color-dark-8))">
          <div key={`${active}:${current.visit}`} data-screen={active}>
            <ScreenErrorBoundary screen={active} goTo={goTo}>
              <Suspense fallback={<ScreenLoading />}>
                <CurrentScreen id={active} />
              </Suspense>
            </ScreenErrorBoundary>
          </div>
        </AppShell.Main>
      </AppShell>
    </ShellNavigationContext.Provider>
  );
}
