import { afterEach, describe, expect, it } from 'vitest';
import { ReplayReport } from '../../../shared/ipc/scoring';
import { NexisError } from '../errors';
import { replayDecision } from './replay';
import { runReplayCommand } from './replay-command';
import { createScoringHarness, DECLINE_VALUES, type ScoringHarness } from './scoring-fixtures';

let h: ScoringHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function decided() {
  const hh = (h = await createScoringHarness());
  const applicantId = await hh.register(DECLINE_VALUES);
  const score = await hh.scoring.score(hh.officerId, applicantId);
  const decision = hh.decisions.record({ id: hh.officerId, role: 'officer' }, score.scoreId, {
    decision: 'decline',
    reasonCodes: ['policy-knock-out'],
  });
  return { hh, score, decision };
}

describe('replay of a decision', () => {
  it('re-scores the stored input vector with the model of the stored hash and reproduces it exactly', async () => {
    const { hh, score, decision } = await decided();
    const report = await replayDecision(hh.t.ws.store, hh.model, 'auditor-id', decision.decisionId, (a) =>
      hh.t.ws.applicants.dataKey(a),
    );
    expect(ReplayReport.parse(report)).toEqual(report);
    expect(report).toMatchObject({ reproduced: true, differences: [], modelHash: score.modelHash });
    expect(report.replayed).toEqual(report.stored);
    expect(report.stored.score).toBe(score.score);
    const audit = hh.t.ws.store.sqlite
      .prepare<[], { payload: string }>("SELECT payload FROM audit_log WHERE action = 'decision.replayed'")
      .get();
    expect(JSON.parse(audit?.payload ?? '{}')).toMatchObject({ decisionId: decision.decisionId, reproduced: true });
  });

  it('reports the differences when the stored inputs no longer give the stored score', async () => {
    const { hh, score, decision } = await decided();
    // Scores are not protected by triggers (decisions are); an edited input vector must be detected.
    hh.t.ws.store.sqlite
      .prepare('UPDATE scores SET inputs = ? WHERE id = ?')
      .run(JSON.stringify({ ...DECLINE_VALUES, debtToIncome: 0.1 }), score.scoreId);
    const report = await replayDecision(hh.t.ws.store, hh.model, 'auditor-id', decision.decisionId, (a) =>
      hh.t.ws.applicants.dataKey(a),
    );
    expect(report.reproduced).toBe(false);
    expect(report.differences.some((d) => d.startsWith('score:'))).toBe(true);
    expect(report.differences.some((d) => d.startsWith('contribution debtToIncome'))).toBe(true);
  });

  it('refuses clearly when the model of the stored hash is not loaded', async () => {
    const { hh, decision } = await decided();
    hh.t.ws.store.sqlite.prepare("UPDATE scores SET model_hash = 'sha256:' || printf('%064d', 0)").run();
    const error: unknown = await replayDecision(hh.t.ws.store, hh.model, 'auditor-id', decision.decisionId, (a) =>
      hh.t.ws.applicants.dataKey(a),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NexisError);
    expect((error as NexisError).message).toMatch(/scored with model sha256:0{64}.*Load the package of that hash/);
    const missing: unknown = await replayDecision(hh.t.ws.store, hh.model, 'x', 'DC-0000000000000000', (a) =>
      hh.t.ws.applicants.dataKey(a),
    ).catch((e: unknown) => e);
    expect((missing as NexisError).code).toBe('NOT_FOUND');
  });

  it('the CLI command prints the comparison and exits 0 when reproduced', async () => {
    const { hh, decision } = await decided();
    hh.t.ws.close();
    const lines: string[] = [];
    const code = await runReplayCommand({
      dataDir: hh.t.dir,
      decisionId: decision.decisionId,
      env: { NEXIS_DB_KEY: hh.t.key.toString('hex') },
      write: (line) => lines.push(line),
    });
    expect(code).toBe(0);
    expect(lines.join('\n')).toMatch(/REPRODUCED/);
    const usage: string[] = [];
    expect(await runReplayCommand({ dataDir: hh.t.dir, decisionId: 'nope', write: (l) => usage.push(l) })).toBe(2);
    expect(usage[0]).toMatch(/^usage:/);
  });
});
