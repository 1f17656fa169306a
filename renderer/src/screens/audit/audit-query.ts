/** Turns the filter form into an `audit:list` query; dates are local calendar days, sent as UTC instants. */
import type { AuditQuery } from '../../../../shared/ipc/audit';

export interface AuditFilterValues {
  action: string | null;
  /** Username or officer id, as typed */
  actor: string;
  /** yyyy-mm-dd from a date input, or '' */
  from: string;
  to: string;
}

export const EMPTY_FILTERS: AuditFilterValues = { action: null, actor: '', from: '', to: '' };

function localDay(value: string, endOfDay: boolean): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) {
    return undefined;
  }
  const [, y, m, d] = match;
  const date = endOfDay
    ? new Date(Number(y), Number(m) - 1, Number(d), 23, 59, 59, 999)
    : new Date(Number(y), Number(m) - 1, Number(d), 0, 0, 0, 0);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

export function buildAuditQuery(
  filters: AuditFilterValues,
  page: number,
  pageSize: number,
  resolveActor: (typed: string) => string,
): AuditQuery {
  const query: AuditQuery = { page, pageSize };
  if (filters.action) {
    query.action = filters.action;
  }
  const actor = filters.actor.trim();
  if (actor !== '') {
    query.actor = resolveActor(actor).slice(0, 64);
  }
  const from = localDay(filters.from, false);
  if (from) {
    query.from = from;
  }
  const to = localDay(filters.to, true);
  if (to) {
    query.to = to;
  }
  return query;
}

/** One line for a payload: `key: value` pairs, nested values as compact JSON. */
export function summarizePayload(payload: Record<string, unknown>): string {
  return Object.entries(payload)
    .map(
      ([key, value]) =>
        `${key}: ${typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value)}`,
    )
    .join(' · ');
}
