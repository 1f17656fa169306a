/**
 * Batch scoring of anonymous feature rows (columns = specification keys, nothing else, so no personal data can
 * ride along). Rows are validated one by one, scored by onnxruntime in chunks, explained exactly, and summarised.
 */
import { parseCsv } from '../../../models/data/dataset';
import { encodeCell, isMissingCell } from '../../../models/data/encode';
import { bandOf, outcomeOf, scoreOf, sigmoid } from '../../../models/runtime';
import type { BatchSummary } from '../../../shared/ipc/scoring';
import { NexisError } from '../errors';
import type { ActiveModel } from './model-service';

export interface BatchProgress {
  readonly done: number;
  readonly total: number;
}

const CHUNK_ROWS = 8_192;
const MAX_ERRORS = 100;

function csvField(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export async function scoreCsvBatch(
  active: ActiveModel,
  csv: string,
  onProgress?: (progress: BatchProgress) => void,
): Promise<BatchSummary> {
  const started = performance.now();
  const { manifest, scorer, explainer } = active;
  const { spec, model } = manifest;
  let parsed: { header: string[]; rows: string[][] };
  try {
    parsed = parseCsv(csv);
  } catch {
    throw new NexisError('INVALID_INPUT', 'Invalid input — csv: the file is empty.');
  }
  const keys = spec.features.map((f) => f.key);
  const unknown = parsed.header.filter((h) => !keys.includes(h));
  const missing = keys.filter((k) => !parsed.header.includes(k));
  if (unknown.length > 0 || missing.length > 0) {
    throw new NexisError(
      'INVALID_INPUT',
      `Invalid input — csv: the columns must be exactly the specification keys` +
        `${unknown.length > 0 ? `; not allowed: ${unknown.slice(0, 5).join(', ')}` : ''}` +
        `${missing.length > 0 ? `; missing: ${missing.slice(0, 5).join(', ')}` : ''}.`,
    );
  }
  const columnOf = keys.map((k) => parsed.header.indexOf(k));
  const total = parsed.rows.length;
  const width = keys.length;
  const terms = model.terms.length;
  const bands: Record<string, number> = Object.fromEntries(manifest.bands.map((b) => [b.band, 0]));
  const outcomes = { approve: 0, refer: 0, decline: 0 };
  const errors: BatchSummary['errors'] = [];
  const lines: string[] = ['line,score,band,outcome,probabilityOfDefault,reason1,reason2,reason3,reason4,error'];
  let failed = 0;

  const row = new Float64Array(width);
  for (let start = 0; start < total; start += CHUNK_ROWS) {
    const end = Math.min(total, start + CHUNK_ROWS);
    const encoded = new Float32Array((end - start) * width);
    const rowsOk: number[] = [];
    const results = new Array<string>(end - start);
    for (let i = start; i < end; i++) {
      const cells = parsed.rows[i] ?? [];
      const line = i + 2;
      let problem: string | null = null;
      spec.features.forEach((feature, j) => {
        const cell = cells[columnOf[j] ?? -1] ?? '';
        const value = encodeCell(feature, cell);
        if (problem !== null) {
          return;
        }
        if (value === undefined) {
          problem = `${feature.key}: not a valid value`;
        } else if (feature.kind === 'integer' && !Number.isNaN(value) && !Number.isInteger(value)) {
          problem = `${feature.key}: must be a whole number`;
        } else if (feature.required && isMissingCell(cell)) {
          problem = `${feature.key}: required`;
        } else {
          row[j] = value;
        }
      });
      if (problem !== null) {
        failed++;
        if (errors.length < MAX_ERRORS) {
          errors.push({ line, message: problem });
        }
        results[i - start] = `${line},,,,,,,,,${csvField(problem)}`;
        continue;
      }
      encoded.set(row, rowsOk.length * width);
      rowsOk.push(i);
    }
    const contributions =
      rowsOk.length > 0 ? await scorer.contributions(encoded.subarray(0, rowsOk.length * width), rowsOk.length) : null;
    rowsOk.forEach((i, r) => {
      let logit = model.intercept;
      for (let t = 0; t < terms; t++) {
        logit += contributions?.[r * terms + t] ?? 0;
      }
      for (let j = 0; j < width; j++) {
        row[j] = encoded[r * width + j] ?? Number.NaN;
      }
      const score = scoreOf(logit, manifest.scaling);
      const band = bandOf(score, manifest.bands);
      const outcome = outcomeOf(score, manifest.policy);
      bands[band] = (bands[band] ?? 0) + 1;
      outcomes[outcome]++;
      const reasons = explainer.reasons(row).map((reason) => reason.feature);
      while (reasons.length < 4) {
        reasons.push('');
      }
      results[i - start] =
        `${i + 2},${score},${band},${outcome},${sigmoid(logit).toPrecision(6)},${reasons.join(',')},`;
    });
    lines.push(...results);
    onProgress?.({ done: end, total });
  }
  return {
    rows: total,
    scored: total - failed,
    failed,
    bands,
    outcomes,
    errors,
    errorsTruncated: failed > errors.length,
    modelHash: active.modelHash,
    policyVersion: manifest.policy.version,
    durationMs: performance.now() - started,
    resultCsv: `${lines.join('\n')}\n`,
  };
}
