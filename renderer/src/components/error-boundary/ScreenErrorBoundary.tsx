import type { ReactNode } from 'react';
import { reportRendererError } from '../../errors/report-error';
import { ErrorBoundary } from './ErrorBoundary';
import { RecoveryView, type RecoveryViewProps } from './RecoveryView';

export interface ScreenErrorBoundaryProps {
  /** The screen's id, sent to the core with the error's class and location. */
  screen: string;
  /** The way out offered beside "Reload this screen" (the landing screen); none when this is it. */
  goTo?: RecoveryViewProps['goTo'];
  children: ReactNode;
}

/**
 * Keeps a failing screen (a render error, or its chunk failing to load) inside its own frame: the header, navigation
 * and session around it go on working, the core is told which screen failed, and the officer can reload the screen.
 */
export function ScreenErrorBoundary({ screen, goTo, children }: ScreenErrorBoundaryProps) {
  return (
    <ErrorBoundary
      onError={(error) => reportRendererError(screen, error)}
      fallback={({ reset }) => <RecoveryView onReload={reset} goTo={goTo} />}
    >
      {children}
    </ErrorBoundary>
  );
}
