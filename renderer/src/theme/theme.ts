/** The NEXIS look: calm blue-slate primary, system fonts (no network fonts), modest radii, readable density. */
import { createTheme, type MantineColorsTuple } from '@mantine/core';

const nexis: MantineColorsTuple = [
  '#edf3fb',
  '#d9e3f1',
  '#b0c5e3',
  '#84a5d5',
  '#608ac9',
  '#4979c2',
  '#3c70c0',
  '#2e5faa',
  '#265498',
  '#184887',
];

export const theme = createTheme({
  primaryColor: 'nexis',
  // Dark: shade 6, not 5: white on nexis 5 is 4.37:1, under WCAG AA for button labels; shade 6 is 4.92:1.
  primaryShade: { light: 7, dark: 6 },
  colors: { nexis },
  // Filled badges and buttons in light colours (yellow, lime, a red in the dark scheme) get dark text, not white.
  autoContrast: true,
  defaultRadius: 'sm',
  fontFamily:
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Noto Sans", "Liberation Sans", Arial, sans-serif',
  fontFamilyMonospace: 'ui-monospace, "Cascadia Mono", "Segoe UI Mono", "Liberation Mono", Menlo, monospace',
  headings: { fontWeight: '600' },
  focusRing: 'auto',
  cursorType: 'pointer',
  components: {
    // A badge states something (a role, "Temporary password"): it is never cut to "Temporary passw…". Its text sets
    // its minimum width, so tables give its column room and groups wrap it to the next line instead.
    Badge: {
      styles: {
        root: { textTransform: 'none', fontWeight: 600, overflow: 'visible', flexShrink: 0 },
        label: { overflow: 'visible', textOverflow: 'clip' },
      },
    },
    Card: { defaultProps: { withBorder: true, radius: 'md', padding: 'lg' } },
    // Icon-only close buttons need a name for screen readers (axe: button-name, critical).
    Modal: { defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } },
    Drawer: { defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } },
    Notification: {
      defaultProps: { closeButtonProps: { 'aria-label': 'Dismiss notification' } },
      // Mantine draws the message under a title in grey 6 / dark 2 directly, not in the (readable) dimmed colour.
      styles: { description: { color: 'var(--mantine-color-dimmed)' } },
    },
    Alert: { defaultProps: { closeButtonLabel: 'Dismiss' } },
    Table: { defaultProps: { verticalSpacing: 'xs', highlightOnHover: true } },
    Tooltip: { defaultProps: { withArrow: true, openDelay: 300 } },
  },
});
