export { SyncConsoleScreen } from './SyncConsoleScreen';
