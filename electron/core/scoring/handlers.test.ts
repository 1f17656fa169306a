import { afterEach, describe, expect, it } from 'vitest';
import { contract } from '../../../shared/ipc/contract';
import { mergeContracts, type ChannelMap } from '../../../shared/ipc/define';
import { decisionsChannels, lettersChannels, modelChannels, scoringChannels } from '../../../shared/ipc/scoring';
import { isNexisError } from '../errors';
import type { HandlerContext } from '../ipc/handlers';
import { createScoringHandlers } from './handlers';
import { defaultModelDir } from './model-service';
import { createScoringHarness, DECLINE_VALUES, type ScoringHarness } from './scoring-fixtures';

let h: ScoringHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const maps: ChannelMap = { ...scoringChannels, ...decisionsChannels, ...lettersChannels, ...modelChannels };

/** Events the handlers pushed (batch progress). */
const pushed: { connectionId: string; event: string; payload: unknown }[] = [];

/** What electron/core/ipc/dispatch.ts does once the maps are merged: strict input, handler, checked output. */
async function dispatch(hh: ScoringHarness, ctx: HandlerContext, channel: string, input: unknown) {
  const spec = maps[channel];
  if (spec === undefined) {
    throw new Error(`unknown channel ${channel}`);
  }
  const parsed = spec.input.safeParse(input);
  if (!parsed.success) {
    return { ok: false as const, code: 'INVALID_INPUT' };
  }
  const handlers = createScoringHandlers({
    store: hh.t.ws.store,
    applicants: hh.t.ws.applicants,
    model: hh.model,
    scoring: hh.scoring,
    decisions: hh.decisions,
    letters: hh.letters,
    modelDir: defaultModelDir,
    loadModel: (dir) => hh.model.loadDirectory(dir),
    emit: (connectionId, event, payload) => pushed.push({ connectionId, event, payload }),
  }) as unknown as Record<string, (ctx: HandlerContext, input: unknown) => unknown>;
  try {
    const value = await handlers[channel]?.(ctx, parsed.data);
    const checked = spec.output.safeParse(value);
    if (!checked.success) {
      throw new Error(`${channel} answered outside its schema: ${checked.error.message}`);
    }
    return { ok: true as const, value: checked.data };
  } catch (error) {
    if (isNexisError(error)) {
      return { ok: false as const, code: error.code };
    }
    throw error;
  }
}

describe('scoring IPC contract', () => {
  it('merges with the app contract without duplicate channels, with roles on every channel', () => {
    const mine = [scoringChannels, decisionsChannels, lettersChannels, modelChannels];
    const names = mine.flatMap((m) => Object.keys(m));
    expect(new Set(names).size).toBe(names.length);
    // Works before and after the maps are added to shared/ipc/contract.ts.
    const others = Object.fromEntries(Object.entries(contract).filter(([name]) => !names.includes(name)));
    expect(Object.keys(mergeContracts(others, ...mine))).toEqual(expect.arrayContaining(names));
    expect(scoringChannels['scoring:batch'].access).toEqual(['admin']);
    expect(decisionsChannels['decisions:review'].access).toEqual(['supervisor']);
    expect(modelChannels['model:status'].access).toBe('signedIn');
  });

  it('every handler answers inside its output schema, and strict inputs refuse unknown keys', async () => {
    const hh = (h = await createScoringHarness());
    const officer = hh.t.ws.officers.get(hh.officerId);
    const ctx: HandlerContext = {
      connectionId: 'officer',
      session: hh.t.ws.sessions.get('officer'),
      officer,
    };
    const applicantId = await hh.register(DECLINE_VALUES);
    const scored = await dispatch(hh, ctx, 'scoring:score', { applicantId });
    expect(scored.ok).toBe(true);
    const scoreId = scored.ok ? (scored.value as { scoreId: string }).scoreId : '';
    expect((await dispatch(hh, ctx, 'scoring:latest', { applicantId })).ok).toBe(true);
    expect((await dispatch(hh, ctx, 'scoring:progress', { applicantId })).ok).toBe(true);
    expect((await dispatch(hh, ctx, 'scoring:whatIf', { applicantId, changes: { savingsRate: 0.1 } })).ok).toBe(true);
    expect(await dispatch(hh, ctx, 'scoring:score', { applicantId, extra: 1 })).toEqual({
      ok: false,
      code: 'INVALID_INPUT',
    });
    const recorded = await dispatch(hh, ctx, 'decisions:record', {
      scoreId,
      decision: 'decline',
      reasonCodes: ['policy-knock-out'],
    });
    expect(recorded.ok).toBe(true);
    const decisionId = recorded.ok ? (recorded.value as { decisionId: string }).decisionId : '';
    expect((await dispatch(hh, ctx, 'decisions:list', { applicantId })).ok).toBe(true);
    expect((await dispatch(hh, ctx, 'decisions:replay', { decisionId })).ok).toBe(true);
    const letter = await dispatch(hh, ctx, 'letters:applicant', { decisionId });
    expect(
      letter.ok &&
        Buffer.from((letter.value as { pdfBase64: string }).pdfBase64, 'base64')
          .subarray(0, 5)
          .toString(),
    ).toBe('%PDF-');
    const bankCopy = await dispatch(hh, ctx, 'letters:bankCopy', { decisionId });
    expect(bankCopy.ok && (bankCopy.value as { fileName: string }).fileName).toBe(`nexis-bank-copy-${decisionId}.pdf`);
    expect((await dispatch(hh, ctx, 'decisions:pendingReviews', {})).ok).toBe(true);
    expect(
      await dispatch(hh, ctx, 'decisions:review', { decisionId, decision: 'approve', reasonCodes: [], note: 'Seen.' }),
    ).toEqual({
      ok: false,
      code: 'FORBIDDEN',
    });
    const csv = `${Object.keys(DECLINE_VALUES).join(',')}\n${Object.values(DECLINE_VALUES).join(',')}`;
    pushed.length = 0;
    expect((await dispatch(hh, ctx, 'scoring:batch', { csv })).ok).toBe(true);
    expect(pushed.at(-1)).toMatchObject({ connectionId: ctx.connectionId, event: 'scoring:batchProgress' });
    expect((await dispatch(hh, ctx, 'model:status', {})).ok).toBe(true);
    const reloaded = await dispatch(hh, ctx, 'model:reload', {});
    expect(reloaded.ok && (reloaded.value as { state: string }).state).toBe('verified');
  });
});
