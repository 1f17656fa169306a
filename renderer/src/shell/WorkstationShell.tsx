/** The open workstation: header, role-dependent navigation, and the current screen (state-based, no URL router). */
import { AppShell } from '@mantine/core';
import { useState } from 'react';
import { useSession } from '../auth';
import { ApplicantsScreen } from '../screens/applicants';
import { AuditScreen } from '../screens/audit';
import { BatchScreen } from '../screens/batch';
import { OfficersScreen } from '../screens/officers';
import { ReferralsScreen } from '../screens/referrals';
import { SettingsScreen } from '../screens/settings';
import { StatusScreen } from '../screens/status';
import { SyncConsoleScreen } from '../screens/sync';
import { landingFor, navItemsFor, type ScreenId } from './navigation';
import { ShellNavigationContext, type ShellNavigation } from './shell-navigation';
import { ShellHeader } from './ShellHeader';
import { ShellNavbar } from './ShellNavbar';

function CurrentScreen({ id }: { id: ScreenId }) {
  switch (id) {
    case 'applicants':
      return <ApplicantsScreen />;
    case 'referrals':
      return <ReferralsScreen />;
    case 'audit':
      return <AuditScreen />;
    case 'batch':
      return <BatchScreen />;
    case 'officers':
      return <OfficersScreen />;
    case 'sync':
      return <SyncConsoleScreen />;
    case 'settings':
      return <SettingsScreen />;
    case 'status':
      return <StatusScreen />;
  }
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
    navigate: (id) => setCurrent((previous) => ({ id, visit: previous.visit + 1 })),
  };

  return (
    <ShellNavigationContext.Provider value={navigation}>
      <AppShell header={{ height: 64 }} navbar={{ width: 248, breakpoint: 'xs' }} padding="xl">
        <ShellHeader />
        <ShellNavbar items={items} active={active} onNavigate={navigation.navigate} />
        <AppShell.Main bg="light-dark(var(--mantine-color-gray-0), var(--mantine-color-dark-8))">
          <div key={`${active}:${current.visit}`} data-screen={active}>
            <CurrentScreen id={active} />
          </div>
        </AppShell.Main>
      </AppShell>
    </ShellNavigationContext.Provider>
  );
}
