import {
  Center,
  SegmentedControl,
  Tooltip,
  VisuallyHidden,
  useMantineColorScheme,
  type MantineColorScheme,
} from '@mantine/core';
import type { ReactNode } from 'react';
import { IconAuto, IconMoon, IconSun } from '../icons';

const OPTIONS: { value: MantineColorScheme; label: string; icon: ReactNode }[] = [
  { value: 'light', label: 'Light', icon: <IconSun size={16} /> },
  { value: 'dark', label: 'Dark', icon: <IconMoon size={16} /> },
  { value: 'auto', label: 'Follow the system', icon: <IconAuto size={16} /> },
];

/** Light / dark / follow-the-system; the choice is kept in localStorage by the provider's color scheme manager. */
export function ThemeToggle() {
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  return (
    <SegmentedControl
      size="xs"
      aria-label="Colour scheme"
      value={colorScheme}
      onChange={(value) => setColorScheme(value as MantineColorScheme)}
      data={OPTIONS.map((option) => ({
        value: option.value,
        label: (
          <Tooltip label={option.label}>
            <Center>
              {option.icon}
              <VisuallyHidden>{option.label}</VisuallyHidden>
            </Center>
          </Tooltip>
        ),
      }))}
    />
  );
}
