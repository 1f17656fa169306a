export { WorkstationShell } from './WorkstationShell';
export { NAV_ITEMS, navItemsFor, type NavItem, type ScreenId } from './navigation';
