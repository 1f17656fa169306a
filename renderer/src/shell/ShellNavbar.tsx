import { AppShell, NavLink, Stack } from '@mantine/core';
import type { NavItem, ScreenId } from './navigation';

export interface ShellNavbarProps {
  items: readonly NavItem[];
  active: ScreenId;
  onNavigate(id: ScreenId): void;
}

export function ShellNavbar({ items, active, onNavigate }: ShellNavbarProps) {
  return (
    <AppShell.Navbar p="sm" className="nexis-no-print">
      <AppShell.Section grow component="nav" aria-label="Workstation">
        <Stack gap={4}>
          {items.map((item) => {
            const Icon = item.icon;
            const isActive = item.id === active;
            return (
              <NavLink
                key={item.id}
                component="button"
                type="button"
                label={item.label}
                leftSection={<Icon size={18} />}
                active={isActive}
                aria-current={isActive ? 'page' : undefined}
                data-active-screen={isActive || undefined}
                onClick={() => onNavigate(item.id)}
                py={10}
                styles={{ root: { borderRadius: 'var(--mantine-radius-sm)' }, label: { fontWeight: 500 } }}
              />
            );
          })}
        </Stack>
      </AppShell.Section>
    </AppShell.Navbar>
  );
}
