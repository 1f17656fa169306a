export {
  formatBytes,
  formatDate,
  formatCount,
  formatDateTime,
  formatDuration,
  formatRelative,
  formatRelativeMs,
  localizeTimestamps,
  officerLocale,
  officerNumberSymbols,
  shortHash,
} from './format';
