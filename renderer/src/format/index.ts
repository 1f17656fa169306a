export {
  formatBytes,
  formatDate,
  formatCount,
  formatDateTime,
  formatDuration,
  localizeTimestamps,
  shortHash,
} from './format';
