import { Text } from '@mantine/core';
import { formatDateTime, formatRelative } from '../../format';

export interface RelativeTimeProps {
  /** ISO time; null shows `fallback` */
  iso: string | null;
  /** Shown when there is no time @default 'Never' */
  fallback?: string;
}

/** "2 minutes ago", with the exact local time in the tooltip and in the element's `dateTime`. */
export function RelativeTime({ iso, fallback = 'Never' }: RelativeTimeProps) {
  if (iso === null) {
    return (
      <Text span size="sm" c="dimmed">
        {fallback}
      </Text>
    );
  }
  return (
    <Text component="time" size="sm" dateTime={iso} title={formatDateTime(iso)} style={{ whiteSpace: 'nowrap' }}>
      {formatRelative(iso)}
    </Text>
  );
}
