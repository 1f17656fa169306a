export {
  formatBytes,
  formatDate,
  formatCount,
  formatDateTime,
  formatDuration,
  formatRelative,
  formatRelativeMs,
  localizeTimestamps,
  shortHash,
} from './format';
