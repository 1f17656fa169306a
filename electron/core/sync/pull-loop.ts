/**
 * Pulls the feed after the stored cursor and applies each item in order through the handlers. The cursor moves past an
 * item only once its handler answered, so a failure mid-page resumes at that item; handlers are idempotent.
 */
import { MAX_PULL_ITEMS, PullItemSchema, PullPageSchema, type PullItem } from '../../../shared/sync/pull';
import type { SyncSession } from './session';
import { parse } from './session';
import type { SyncState } from './state';
import { SyncError, type PullHandlers, type PullOutcome } from './types';

export interface PullReport {
  readonly applied: number;
  readonly ignored: number;
  readonly rejected: number;
}

export async function pullAll(session: SyncSession, state: SyncState, handlers: PullHandlers): Promise<PullReport> {
  const report = { applied: 0, ignored: 0, rejected: 0 };
  for (;;) {
    const after = state.pullCursor;
    const response = await session.call('GET', `/v1/sync/pull?after=${after}&limit=${Math.min(100, MAX_PULL_ITEMS)}`);
    const page = parse(PullPageSchema, response.body);
    for (const raw of page.items) {
      if (raw.id <= state.pullCursor) {
        continue;
      }
      const parsed = PullItemSchema.safeParse(raw);
      if (!parsed.success) {
        state.recordRejected(raw.id, raw.kind, 'malformed item');
        report.rejected += 1;
        state.pullCursor = raw.id;
        continue;
      }
      const item = parsed.data;
      let answer: PullOutcome;
      try {
        answer = await applyItem(handlers, item);
      } catch {
        throw new SyncError('APPLY_FAILED', `Pulled item ${item.id} (${item.kind}) could not be applied yet.`, true);
      }
      const outcome = typeof answer === 'string' ? answer : 'rejected';
      if (outcome === 'rejected') {
        state.recordRejected(
          item.id,
          item.kind,
          typeof answer === 'string' ? 'refused by the workstation' : answer.rejected,
        );
      }
      report[outcome] += 1;
      state.pullCursor = item.id;
    }
    if (page.cursor > state.pullCursor) {
      state.pullCursor = page.cursor;
    }
    if (!page.more) {
      return report;
    }
  }
}

function applyItem(handlers: PullHandlers, item: PullItem): PullOutcome | Promise<PullOutcome> {
  switch (item.kind) {
    case 'officer.upsert':
      return handlers['officer.upsert'](item);
    case 'policy.release':
      return handlers['policy.release'](item);
    case 'model.release':
      return handlers['model.release'](item);
    case 'model.withdrawal':
      return handlers['model.withdrawal'](item);
    case 'consent.withdrawal':
      return handlers['consent.withdrawal'](item);
    case 'applicant.erasure':
      return handlers['applicant.erasure'](item);
  }
}
