import { localStorageColorSchemeManager } from '@mantine/core';

/** Light/dark/auto choice, remembered on this workstation across restarts. */
export const colorSchemeManager = localStorageColorSchemeManager({ key: 'nexis-color-scheme' });
