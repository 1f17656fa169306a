/**
 * Scoring benchmarks (issue #5): score + exact explanation + improvement plan for one applicant (p50/p99, warm),
 * batch throughput with explanations, and time to first score after start (read + verify + session + first score).
 * Targets: p99 ≤ 2 ms, ≥ 50,000 rows/s, load + verify ≤ 300 ms. Peer in the same run: the TypeScript reference model
 * (`scoreWithTs`, same explanation) on the same applicants.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { nexisApplicant } from '../models/testing/applicants';
import type { FeatureValues } from '../shared/features';
import { encodeValues, scoreWithTs } from '../models/runtime';
import { buildImprovementPlan } from '../models/plans';
import { createWorkstation } from '../electron/core/workstation';
import { consentFor, ORGANISATION, PERSON } from '../electron/core/testing/intake-fixtures';
import { scoreCsvBatch } from '../electron/core/scoring/batch';
import { defaultModelDir, ModelService } from '../electron/core/scoring/model-service';
import { DEV_PUBLIC_KEY } from '../electron/core/scoring/scoring-fixtures';
import { runModel, ScoringService } from '../electron/core/scoring/scoring-service';
import { fmt, machineLine, percentile } from './machine';

/** Applicants spread over the whole range, fixed seed. */
function applicants(n: number): FeatureValues[] {
  return fc.sample(nexisApplicant, { numRuns: n, seed: 2026 });
}

function stats(label: string, times: number[]): void {
  const sorted = [...times].sort((a, b) => a - b);
  console.log(
    `${label}: p50 ${fmt(percentile(sorted, 50))} ms, p99 ${fmt(percentile(sorted, 99))} ms, max ${fmt(sorted[sorted.length - 1] ?? NaN)} ms (${times.length} runs)`,
  );
}

async function timeToFirstScore(values: FeatureValues): Promise<void> {
  const loads: number[] = [];
  const firsts: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    const model = new ModelService({ trustedPublicKey: DEV_PUBLIC_KEY });
    const status = await model.loadDirectory(defaultModelDir());
    const loaded = performance.now();
    await model.active().scorer.score(values);
    loads.push(loaded - started);
    firsts.push(performance.now() - started);
    if (i === 0) {
      console.log(`model ${status.modelVersion} ${status.modelHash ?? ''}`);
    }
    await model.release();
  }
  console.log(
    `time to first score (read + verify + ONNX session + first score): first run ${fmt(firsts[0] ?? NaN)} ms ` +
      `(load + verify ${fmt(loads[0] ?? NaN)} ms); later runs median ${fmt([...firsts].sort((a, b) => a - b)[2] ?? NaN)} ms  [target load + verify ≤ 300 ms]`,
  );
}

async function engineLatency(model: ModelService, sample: FeatureValues[], runs: number): Promise<void> {
  const active = model.active();
  const manifest = active.manifest;
  const now = new Date('2026-11-25T10:00:00.000Z');
  const once = async (values: FeatureValues): Promise<void> => {
    await runModel(active, values);
    buildImprovementPlan(manifest, encodeValues(manifest.spec, values), { modelHash: active.modelHash, now });
  };
  for (let i = 0; i < 500; i++) {
    await once(sample[i % sample.length] ?? {});
  }
  const engine: number[] = [];
  const planOnly: number[] = [];
  const peer: number[] = [];
  for (let i = 0; i < runs; i++) {
    const values = sample[i % sample.length] ?? {};
    let t = performance.now();
    await once(values);
    engine.push(performance.now() - t);
    t = performance.now();
    buildImprovementPlan(manifest, encodeValues(manifest.spec, values), { modelHash: active.modelHash, now });
    planOnly.push(performance.now() - t);
    t = performance.now();
    scoreWithTs(manifest, values);
    buildImprovementPlan(manifest, encodeValues(manifest.spec, values), { modelHash: active.modelHash, now });
    peer.push(performance.now() - t);
  }
  stats('score + explanation + plan, onnxruntime (warm)  [target p99 ≤ 2 ms]', engine);
  stats('  of which the improvement plan (3 horizons, 2 targets)', planOnly);
  stats('  peer: TypeScript reference model + the same plan', peer);
  console.log(
    `load average now: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
}

async function serviceLatency(model: ModelService, values: FeatureValues, runs: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'nexis-bench-scoring-'));
  const ws = createWorkstation({ dataDir: dir, dbKey: randomBytes(32), scryptCost: { N: 2 ** 10, r: 8, p: 1 } });
  try {
    ws.settings.updateOrganisation('OFF-BENCH', ORGANISATION);
    const scoring = new ScoringService({
      store: ws.store,
      clock: { now: () => new Date() },
      applicants: ws.applicants,
      consent: ws.consent,
      behaviour: ws.behaviour,
      model,
    });
    const { applicantId } = ws.applicants.register('OFF-BENCH', PERSON, consentFor(ws));
    ws.behaviour.saveForm('OFF-BENCH', applicantId, { ...values } as Record<string, number | string | null>);
    for (let i = 0; i < 50; i++) {
      await scoring.score('OFF-BENCH', applicantId);
    }
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await scoring.score('OFF-BENCH', applicantId);
      times.push(performance.now() - t);
    }
    stats('ScoringService.score end to end (consent, decrypt record, score, plan, encrypted write + audit)', times);
  } finally {
    ws.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function batchThroughput(model: ModelService, sample: FeatureValues[], rows: number): Promise<void> {
  const active = model.active();
  const keys = active.manifest.spec.features.map((f) => f.key);
  const lines = [keys.join(',')];
  for (let i = 0; i < rows; i++) {
    const values = sample[i % sample.length] ?? {};
    lines.push(keys.map((k) => (values[k] === null || values[k] === undefined ? '' : String(values[k]))).join(','));
  }
  const csv = lines.join('\n');
  await scoreCsvBatch(active, csv.slice(0, csv.indexOf('\n', 10_000)));
  let t = performance.now();
  const summary = await scoreCsvBatch(active, csv);
  const ms = performance.now() - t;
  console.log(
    `batch with explanations (CSV parse + validate + onnxruntime + reasons + result CSV): ${fmt(rows)} rows in ${fmt(ms, 0)} ms = ` +
      `${fmt((rows / ms) * 1000, 0)} rows/s (${summary.failed} failed)  [target ≥ 50,000 rows/s]`,
  );
  t = performance.now();
  for (let i = 0; i < rows; i++) {
    scoreWithTs(active.manifest, sample[i % sample.length] ?? {});
  }
  const peerMs = performance.now() - t;
  console.log(
    `  peer: TypeScript reference model, one scoreWithTs per row (score + explanation, no CSV): ${fmt((rows / peerMs) * 1000, 0)} rows/s`,
  );
}

export async function runScoringBench(options: { readonly quick: boolean }): Promise<void> {
  console.log('\n## Scoring engine');
  console.log(machineLine());
  // Tail latencies on a shared 2-core machine follow its load; print it so the p99 can be read in context.
  console.log(
    `load average at start: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const sample = applicants(2_000);
  const first = sample[0] ?? {};
  await timeToFirstScore(first);
  const model = new ModelService({ trustedPublicKey: DEV_PUBLIC_KEY });
  await model.loadDirectory(defaultModelDir());
  try {
    await engineLatency(model, sample, options.quick ? 2_000 : 10_000);
    await serviceLatency(model, first, options.quick ? 200 : 1_000);
    await batchThroughput(model, sample, options.quick ? 20_000 : 200_000);
  } finally {
    await model.release();
  }
}
