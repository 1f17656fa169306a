/**
 * npm run bench:model -- [datasetsDir=../shared/datasets]
 * 5-fold stratified cross-validation of the glass-box trainer and a logistic-regression baseline on
 * the two public datasets (protected columns excluded by their specifications), the full-data
 * training time on Taiwan, and onnxruntime-node inference latency and throughput. Prints figures;
 * never fails on a timing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { env } from 'onnxruntime-node';
import { trainLogistic } from '../baseline/logistic';
import { datasetFromCsv, selectRows, type Dataset } from '../data/dataset';
import { loadSpec } from '../data/spec-file';
import { foldRows, stratifiedFolds } from '../data/split';
import { predictColumns } from '../ebm/model';
import { recommendedOptions } from '../ebm/options';
import { trainGlassBox } from '../ebm/train';
import { auc } from '../eval/metrics';
import { exportOnnx } from '../onnx/export';
import { createOrtTermScorer } from '../runtime/ort-session';

const FOLD_SEED = 2026;
const TRAIN_SEED = 42;
const FOLDS = 5;

const DATASETS = [
  { file: 'taiwan-credit-default.csv', spec: 'taiwan-credit-default.spec.json', name: 'Taiwan credit default' },
  { file: 'german-credit.csv', spec: 'german-credit.spec.json', name: 'German credit' },
] as const;

const specDir = fileURLToPath(new URL('../specs/', import.meta.url));
const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
const meanSd = (xs: readonly number[]): string => {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / Math.max(1, xs.length - 1));
  return `${mean.toFixed(4)} ± ${sd.toFixed(4)}`;
};

function crossValidate(data: Dataset): void {
  const folds = stratifiedFolds(data.label, FOLDS, FOLD_SEED);
  const options = { ...recommendedOptions(data.rowCount), seed: TRAIN_SEED };
  out(`  options: ${JSON.stringify(options)} (other options: defaults in models/ebm/options.ts)`);
  const ebm: number[] = [];
  const lr: number[] = [];
  const ebmTimes: number[] = [];
  for (let k = 0; k < FOLDS; k++) {
    const { train, test } = foldRows(folds, k);
    const trainData = selectRows(data, train);
    const testData = selectRows(data, test);
    const t0 = performance.now();
    const model = trainGlassBox(trainData, options);
    const ebmMs = performance.now() - t0;
    const t1 = performance.now();
    const baseline = trainLogistic(trainData);
    const lrMs = performance.now() - t1;
    const a = auc(testData.label, predictColumns(model, testData.columns, testData.rowCount));
    const b = auc(testData.label, baseline.predict(testData));
    ebm.push(a);
    lr.push(b);
    ebmTimes.push(ebmMs / 1000);
    const pairs = model.terms.filter((t) => t.kind === 'pair').length;
    out(
      `  fold ${k + 1}: glass-box AUC ${a.toFixed(4)} (${(ebmMs / 1000).toFixed(2)} s, ${train.length} rows, ${pairs} pairs) | logistic AUC ${b.toFixed(4)} (${(lrMs / 1000).toFixed(2)} s)`,
    );
  }
  out(
    `  5-fold AUC: glass-box ${meanSd(ebm)} | logistic regression ${meanSd(lr)} | glass-box fit time per fold ${meanSd(ebmTimes)} s`,
  );
}

function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

async function inferenceBench(data: Dataset): Promise<void> {
  const t0 = performance.now();
  const model = trainGlassBox(data, { ...recommendedOptions(data.rowCount), seed: TRAIN_SEED });
  out(
    `  full-data training time (${data.rowCount} rows, binning included): ${((performance.now() - t0) / 1000).toFixed(2)} s`,
  );
  const bytes = exportOnnx(model);
  const features = data.spec.features.length;
  const terms = model.terms.length;
  const scorer = await createOrtTermScorer(bytes, features, terms);
  const n = data.rowCount;
  const encoded = new Float32Array(n * features);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < features; j++) {
      encoded[i * features + j] = data.columns[j]?.[i] ?? Number.NaN;
    }
  }
  out(`  ONNX model: ${bytes.length} bytes, ${terms} terms (one output column each)`);
  for (let i = 0; i < 500; i++) {
    await scorer.run(encoded.subarray((i % n) * features, (i % n) * features + features), 1);
  }
  const latencies: number[] = [];
  for (let i = 0; i < 5000; i++) {
    const row = encoded.slice((i % n) * features, (i % n) * features + features);
    const start = process.hrtime.bigint();
    await scorer.run(row, 1);
    latencies.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  latencies.sort((a, b) => a - b);
  out(
    `  single-row inference over 5000 calls: p50 ${percentile(latencies, 0.5).toFixed(1)} µs, p99 ${percentile(latencies, 0.99).toFixed(1)} µs, max ${(latencies[latencies.length - 1] ?? 0).toFixed(1)} µs`,
  );
  const rates: number[] = [];
  for (let r = 0; r < 5; r++) {
    const start = process.hrtime.bigint();
    await scorer.run(encoded, n);
    rates.push(n / (Number(process.hrtime.bigint() - start) / 1e9));
  }
  rates.sort((a, b) => a - b);
  out(
    `  batch inference of ${n} rows in one call, median of 5: ${Math.round(percentile(rates, 0.5)).toLocaleString('en-US')} rows/s`,
  );
  await scorer.release();
}

async function main(): Promise<void> {
  const dir = process.argv[2] ?? '../shared/datasets';
  const cpu = cpus();
  out('NEXIS glass-box model benchmark');
  out(`machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM`);
  out(
    `runtime: node ${process.version}, onnxruntime-node ${env.versions.node ?? '?'}, ${process.platform}/${process.arch}`,
  );
  out(`folds: ${FOLDS}, stratified, fold seed ${FOLD_SEED}; training seed ${TRAIN_SEED}; single thread`);
  const missing = DATASETS.filter((d) => !existsSync(join(dir, d.file)));
  if (missing.length > 0) {
    out(`datasets not found in ${dir}: ${missing.map((d) => d.file).join(', ')}`);
    out('pass the folder holding them: npm run bench:model -- <datasetsDir>. Nothing was measured.');
    return;
  }
  let taiwan: Dataset | undefined;
  for (const entry of DATASETS) {
    const spec = loadSpec(join(specDir, entry.spec));
    const data = datasetFromCsv(readFileSync(join(dir, entry.file), 'utf8'), spec);
    const excluded = spec.protectedColumns.map((p) => p.column).join(', ');
    out('');
    out(
      `${entry.name}: ${data.rowCount} rows, ${spec.features.length} features; protected columns excluded from inputs: ${excluded}`,
    );
    crossValidate(data);
    if (entry.file === 'taiwan-credit-default.csv') {
      taiwan = data;
    }
  }
  if (taiwan !== undefined) {
    out('');
    out('Taiwan, model trained on all rows:');
    await inferenceBench(taiwan);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
