/**
 * Lets a screen send the officer to another screen of the shell (e.g. "Open Settings" from a registration that
 * cannot start yet), without importing the shell, which imports every screen.
 */
import { createContext, useContext } from 'react';
import type { ScreenId } from './navigation';

export interface ShellNavigation {
  /** Screens the signed-in role may open. */
  readonly available: readonly ScreenId[];
  navigate(id: ScreenId): void;
}

export const ShellNavigationContext = createContext<ShellNavigation>({ available: [], navigate: () => undefined });

export function useShellNavigation(): ShellNavigation {
  return useContext(ShellNavigationContext);
}
