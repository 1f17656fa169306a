/**
 * npm run bench:model -- [datasetsDir=../shared/datasets]
 * 5-fold stratified cross-validation of the glass-box trainer, a logistic-regression baseline and, when Debian's
 * python3-xgboost is installed, XGBoost (depth 4, 300 trees) on the same folds, on the two public datasets (protected
 * columns excluded by their specifications), scored by the same AUC code; the full-data and 21,000-row training times
 * on Taiwan against their targets, and onnxruntime-node inference latency and throughput. Prints figures; never
 * fails on a timing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { env } from 'onnxruntime-node';
import { trainLogistic } from '../baseline/logistic';
import { datasetFromCsv, selectRows, type Dataset } from '../data/dataset';
import { loadSpec } from '../data/spec-file';
import { foldRows, stratifiedFolds, stratifiedSplit } from '../data/split';
import { predictColumns } from '../ebm/model';
import { recommendedOptions } from '../ebm/options';
import { MIN_PARALLEL_WORK, trainingThreads, type BagRunReport } from '../ebm/parallel';
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

/**
 * The first Python that imports xgboost, with its version: NEXIS_PYTHON if set, then Debian's /usr/bin/python3 (where
 * python3-xgboost installs; a pyenv or venv `python3` earlier on PATH would not see it), then `python3`.
 */
function xgboostPython(): { python: string; version: string } | null {
  const candidates = [process.env.NEXIS_PYTHON, '/usr/bin/python3', 'python3'].filter(
    (p): p is string => p !== undefined && p !== '',
  );
  for (const python of candidates) {
    const probe = spawnSync(python, ['-c', 'import xgboost; print(xgboost.__version__)'], { encoding: 'utf8' });
    if (probe.status === 0) {
      return { python, version: probe.stdout.trim() };
    }
  }
  return null;
}

function datasetCsv(data: Dataset): string {
  const header = [...data.spec.features.map((f) => f.key), 'label'].join(',');
  const lines = [header];
  for (let i = 0; i < data.rowCount; i++) {
    const row = data.columns.map((column) => {
      const x = column[i] ?? Number.NaN;
      return Number.isNaN(x) ? '' : String(x);
    });
    row.push(String(data.label[i] ?? 0));
    lines.push(row.join(','));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * XGBoost on the given folds through models/bench/xgboost-folds.py: the test folds' predictions come back as files
 * and are scored here with the same AUC as the other models. Null when the script fails (its error is printed).
 */
function xgboostFolds(
  python: string,
  folds: readonly { train: Dataset; test: Dataset }[],
): { aucs: number[]; seconds: number[] } | null {
  const dir = mkdtempSync(join(tmpdir(), 'nexis-xgb-'));
  try {
    folds.forEach((f, k) => {
      writeFileSync(join(dir, `fold-${k}-train.csv`), datasetCsv(f.train));
      writeFileSync(join(dir, `fold-${k}-test.csv`), datasetCsv(f.test));
    });
    const script = fileURLToPath(new URL('./xgboost-folds.py', import.meta.url));
    const run = spawnSync(python, [script, dir, String(folds.length)], { encoding: 'utf8', timeout: 30 * 60_000 });
    if (run.status !== 0) {
      out(`  XGBoost run failed: ${(run.stderr || run.error?.message || 'no output').trim().split('\n').at(-1) ?? ''}`);
      return null;
    }
    const seconds = run.stdout
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { seconds: number }).seconds);
    const aucs = folds.map((f, k) => {
      const predicted = Float64Array.from(
        readFileSync(join(dir, `fold-${k}-pred.txt`), 'utf8')
          .trim()
          .split('\n')
          .map(Number),
      );
      return auc(f.test.label, predicted);
    });
    return { aucs, seconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);

function crossValidate(data: Dataset, xgboost: { python: string; version: string } | null): void {
  const folds = stratifiedFolds(data.label, FOLDS, FOLD_SEED);
  const options = { ...recommendedOptions(data.rowCount), seed: TRAIN_SEED };
  out(`  options: ${JSON.stringify(options)} (other options: defaults in models/ebm/options.ts)`);
  const ebm: number[] = [];
  const lr: number[] = [];
  const ebmTimes: number[] = [];
  const splits: { train: Dataset; test: Dataset }[] = [];
  for (let k = 0; k < FOLDS; k++) {
    const { train, test } = foldRows(folds, k);
    const trainData = selectRows(data, train);
    const testData = selectRows(data, test);
    splits.push({ train: trainData, test: testData });
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
  if (xgboost === null) {
    out('  XGBoost: not measured (python3-xgboost is not installed: apt-get install -y python3-xgboost)');
    return;
  }
  const xgb = xgboostFolds(xgboost.python, splits);
  if (xgb === null) {
    return;
  }
  xgb.aucs.forEach((a, k) =>
    out(`  fold ${k + 1}: XGBoost AUC ${a.toFixed(4)} (${(xgb.seconds[k] ?? 0).toFixed(2)} s, one thread)`),
  );
  const gap = mean(ebm) - mean(xgb.aucs);
  out(
    `  5-fold AUC: XGBoost ${xgboost.version} (depth 4, 300 trees, learning rate 0.1, hist) ${meanSd(xgb.aucs)}, fit time per fold ${meanSd(xgb.seconds)} s`,
  );
  out(
    `  target glass-box AUC ≥ XGBoost's: ${gap >= 0 ? 'met' : 'NOT met'} (glass-box − XGBoost = ${gap >= 0 ? '+' : ''}${gap.toFixed(4)})`,
  );
}

/** Training time on the recommended options, with the target it is held to and where its bags ran. */
function timedFit(label: string, data: Dataset, targetSeconds: number): void {
  const reports: BagRunReport[] = [];
  const t0 = performance.now();
  trainGlassBox(
    data,
    { ...recommendedOptions(data.rowCount), seed: TRAIN_SEED },
    { onBags: (report) => reports.push(report) },
  );
  const seconds = (performance.now() - t0) / 1000;
  const threads = Math.max(1, ...reports.map((r) => r.threads));
  const onWorkers = reports.reduce((n, r) => n + r.workerBags, 0);
  const bags = reports.reduce((n, r) => n + r.workerBags + r.localBags, 0);
  out(
    `  ${label} (${data.rowCount} rows, binning included, ${threads} thread${threads === 1 ? '' : 's'}, ${onWorkers} of ${bags} bag runs on a worker): ${seconds.toFixed(2)} s — target ≤ ${targetSeconds} s ${seconds <= targetSeconds ? 'met' : 'NOT met'}`,
  );
}

function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

async function inferenceBench(data: Dataset): Promise<void> {
  timedFit('full-data training time', data, 3);
  const seventy = stratifiedSplit(data.label, 0.3, FOLD_SEED).train;
  timedFit('training time on a stratified 70 %', selectRows(data, seventy), 1.5);
  const model = trainGlassBox(data, { ...recommendedOptions(data.rowCount), seed: TRAIN_SEED });
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
  out(
    `folds: ${FOLDS}, stratified, fold seed ${FOLD_SEED}; training seed ${TRAIN_SEED}; glass-box bags on up to ${trainingThreads(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)} threads (NEXIS_TRAIN_THREADS; one thread below ${MIN_PARALLEL_WORK} row-bags), the same model on any count`,
  );
  const xgboost = xgboostPython();
  out(
    xgboost === null
      ? 'XGBoost: absent (python3-xgboost not installed; apt-get install -y python3-xgboost)'
      : `XGBoost: ${xgboost.version} via ${xgboost.python}`,
  );
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
    crossValidate(data, xgboost);
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
