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
  primaryShade: { light: 7, dark: 5 },
  colors: { nexis },
  defaultRadius: 'sm',
  fontFamily:
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Noto Sans", "Liberation Sans", Arial, sans-serif',
  fontFamilyMonospace: 'ui-monospace, "Cascadia Mono", "Segoe UI Mono", "Liberation Mono", Menlo, monospace',
  headings: { fontWeight: '600' },
  focusRing: 'auto',
  cursorType: 'pointer',
  components: {
    Badge: { styles: { root: { textTransform: 'none', fontWeight: 600 } } },
    Card: { defaultProps: { withBorder: true, radius: 'md', padding: 'lg' } },
    Table: { defaultProps: { verticalSpacing: 'xs', highlightOnHover: true } },
    Tooltip: { defaultProps: { withArrow: true, openDelay: 300 } },
  },
});
