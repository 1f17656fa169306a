/** Display formatting in the officer's locale: times, sizes, hashes. */
import { DEFAULT_LOCALE, numberSymbols, type NumberSymbols } from '../../../shared/rules/numbers';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

export function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateOnly.format(date);
}

export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

const ISO_TIMESTAMP = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z\b/g;

/** Replaces ISO timestamps inside a core message ("locked until 2026-…Z") with local times. */
export function localizeTimestamps(message: string): string {
  return message.replace(ISO_TIMESTAMP, (iso) => formatDateTime(iso));
}

const UNITS = ['bytes', 'KB', 'MB', 'GB', 'TB'] as const;

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${UNITS[unit] ?? 'bytes'}`;
}

/** First and last characters of a long hex value, enough to compare by eye. */
export function shortHash(hash: string, keep = 8): string {
  return hash.length <= keep * 2 + 1 ? hash : `${hash.slice(0, keep)}…${hash.slice(-keep)}`;
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms.toFixed(ms < 10 ? 1 : 0)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

export function formatCount(n: number): string {
  return new Intl.NumberFormat().format(n);
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** "12 seconds ago", "in 3 minutes": a distance in time from now, in the largest whole unit. */
export function formatRelativeMs(deltaMs: number): string {
  const seconds = Math.round(deltaMs / 1000);
  const abs = Math.abs(seconds);
  if (abs < 60) {
    return relative.format(seconds, 'second');
  }
  if (abs < 3600) {
    return relative.format(Math.round(seconds / 60), 'minute');
  }
  if (abs < 86_400) {
    return relative.format(Math.round(seconds / 3600), 'hour');
  }
  return relative.format(Math.round(seconds / 86_400), 'day');
}

/** How long ago (or until) an ISO time, from `now`. */
export function formatRelative(iso: string, now: number = Date.now()): string {
  const time = new Date(iso).getTime();
  return Number.isNaN(time) ? iso : formatRelativeMs(time - now);
}

/** The officer's locale for reading and writing numbers; Kenyan English when the browser does not say. */
export function officerLocale(): string {
  return typeof navigator !== 'undefined' && navigator.language !== '' ? navigator.language : DEFAULT_LOCALE;
}

let symbolsCache: { locale: string; symbols: NumberSymbols } | null = null;

/** Group and decimal separators of the officer's locale, as the number fields read them. */
export function officerNumberSymbols(): NumberSymbols {
  const locale = officerLocale();
  if (symbolsCache?.locale !== locale) {
    symbolsCache = { locale, symbols: numberSymbols(locale) };
  }
  return symbolsCache.symbols;
}
