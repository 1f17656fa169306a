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
import { navItemsFor, type ScreenId } from './navigation';
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
  const [requested, setRequested] = useState<ScreenId>('status');
  // A screen the role may not see (e.g. after signing in as someone else) falls back to Status.
  const active = items.some((item) => item.id === requested) ? requested : 'status';

  return (
    <AppShell header={{ height: 64 }} navbar={{ width: 248, breakpoint: 'xs' }} padding="xl">
      <ShellHeader />
      <ShellNavbar items={items} active={active} onNavigate={setRequested} />
      <AppShell.Main bg="light-dark(var(--mantine-color-gray-0), var(--mantine-color-dark-8))">
        <div key={active} data-screen={active}>
          <CurrentScreen id={active} />
        </div>
      </AppShell.Main>
    </AppShell>
  );
}
