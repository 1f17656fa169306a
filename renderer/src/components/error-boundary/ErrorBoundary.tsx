import { Component, Fragment, type ErrorInfo, type ReactNode } from 'react';
import { retryFailedLazyLoads } from './retryable-lazy';

export interface ErrorBoundaryFallbackProps {
  /** What was thrown (a render error, or a lazy chunk that failed to load). */
  readonly error: unknown;
  /** Clears the error and mounts the children afresh (new state, effects run again, failed lazy loads retried). */
  readonly reset: () => void;
}

export interface ErrorBoundaryProps {
  /** Shown instead of the children once they throw while rendering. */
  fallback: (props: ErrorBoundaryFallbackProps) => ReactNode;
  /** Called once per caught error, e.g. to report it to the core. */
  onError?: (error: unknown, info: ErrorInfo) => void;
  children: ReactNode;
}

interface ErrorBoundaryState {
  readonly failed: boolean;
  readonly error: unknown;
  /** Bumped by `reset`: the children's key, so a reset remounts them instead of re-rendering the broken tree. */
  readonly attempt: number;
}

/**
 * Catches errors thrown while rendering its children (React calls these boundaries; only a class can be one).
 * Hand-written because `react-error-boundary` is not among the dependencies; it does the same in more lines, and this
 * component can be replaced by its `ErrorBoundary` (`fallbackRender`, `onError`, `resetErrorBoundary`) one to one.
 */
export class ErrorBoundary extends Component<ErrorBoundaryProps, ErrorBoundaryState> {
  override state: ErrorBoundaryState = { failed: false, error: null, attempt: 0 };

  static getDerivedStateFromError(error: unknown): Partial<ErrorBoundaryState> {
    return { failed: true, error };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    this.props.onError?.(error, info);
  }

  readonly reset = (): void => {
    retryFailedLazyLoads();
    this.setState((previous) => ({ failed: false, error: null, attempt: previous.attempt + 1 }));
  };

  override render(): ReactNode {
    if (this.state.failed) {
      return this.props.fallback({ error: this.state.error, reset: this.reset });
    }
    return <Fragment key={this.state.attempt}>{this.props.children}</Fragment>;
  }
}
