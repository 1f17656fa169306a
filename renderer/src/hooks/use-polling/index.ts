export { usePolling, stopsPolling, POLLING_IDLE_PAUSE_MS } from './use-polling';
