import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

/** How to start each failed lazy load afresh; filled when an import rejects, emptied by `retryFailedLazyLoads`. */
const failedLoads = new Set<() => void>();

/**
 * `React.lazy` for a screen, which can be tried again. React.lazy keeps a rejected import for good, so after a chunk
 * failed to load, "Reload this screen" would show the same failure without asking again. Here a failed load stays
 * failed (rethrown to the nearest error boundary, as with React.lazy) until `retryFailedLazyLoads()` — called by an
 * error boundary's reset and by the shell's navigation — lets the next render start a new import. Never on its own:
 * React re-renders once after an error, and an automatic retry there would loop on a chunk that is really missing.
 *
 *   const AuditScreen = retryableLazy(() => import('../screens/audit').then((m) => m.AuditScreen));
 */
export function retryableLazy(load: () => Promise<ComponentType>): ComponentType {
  const renew = (): void => {
    current = attempt();
  };
  const attempt = (): LazyExoticComponent<ComponentType> =>
    lazy(() =>
      load().then(
        (component) => ({ default: component }),
        (error: unknown) => {
          failedLoads.add(renew);
          throw error;
        },
      ),
    );
  let current = attempt();

  function RetryableLazy() {
    const Current = current;
    return <Current />;
  }
  return RetryableLazy;
}

/** Lets every lazy component whose import failed import again at its next render. */
export function retryFailedLazyLoads(): void {
  for (const renew of failedLoads) {
    renew();
  }
  failedLoads.clear();
}
