export { ErrorBoundary, type ErrorBoundaryFallbackProps, type ErrorBoundaryProps } from './ErrorBoundary';
export { RecoveryView, type RecoveryViewProps } from './RecoveryView';
export { ScreenErrorBoundary, type ScreenErrorBoundaryProps } from './ScreenErrorBoundary';
export { retryableLazy, retryFailedLazyLoads } from './retryable-lazy';
