export { WorkstationShell } from './WorkstationShell';
export { NAV_ITEMS, landingFor, navItemsFor, type NavItem, type ScreenId } from './navigation';
export { useShellNavigation, type ShellNavigation } from './shell-navigation';
