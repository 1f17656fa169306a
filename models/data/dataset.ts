/**
 * A training table read from CSV through a feature specification: one Float64Array per feature
 * (column-major for the trainer's tight loops), the 0/1 default label, and the protected columns
 * kept apart as raw text, readable only by the fairness report.
 */
import Papa from 'papaparse';
import { featureColumn, type FeatureSpec } from '../../shared/features';
import { ModelError } from '../core/errors';
import { encodeCell, isMissingCell } from './encode';

export interface Dataset {
  readonly spec: FeatureSpec;
  readonly rowCount: number;
  /** Encoded feature values in specification order; NaN = missing. */
  readonly columns: readonly Float64Array[];
  /** 1 = defaulted. */
  readonly label: Uint8Array;
  /** Raw protected values by column name, never passed to the trainer. */
  readonly protectedValues: ReadonlyMap<string, readonly string[]>;
}

/** How many bad cells to name in the error before summarising. */
const MAX_REPORTED = 5;

export function parseCsv(text: string): { header: string[]; rows: string[][] } {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: true });
  const [header, ...rows] = parsed.data;
  if (header === undefined) {
    throw new ModelError('DATA_INVALID', 'the CSV file is empty');
  }
  return { header: header.map((h) => h.trim()), rows };
}

export function datasetFromCsv(text: string, spec: FeatureSpec): Dataset {
  const { header, rows } = parseCsv(text);
  const indexOf = (column: string): number => {
    const index = header.indexOf(column);
    if (index < 0) {
      throw new ModelError('DATA_INVALID', `the CSV has no column "${column}" (columns: ${header.join(', ')})`);
    }
    return index;
  };
  const featureIndexes = spec.features.map((f) => indexOf(featureColumn(f)));
  const labelIndex = indexOf(spec.label.column);
  const protectedIndexes = spec.protectedColumns
    .filter((p) => header.includes(p.column))
    .map((p) => [p.column, header.indexOf(p.column)] as const);

  const n = rows.length;
  const columns = spec.features.map(() => new Float64Array(n));
  const label = new Uint8Array(n);
  const protectedValues = new Map(protectedIndexes.map(([column]) => [column, new Array<string>(n)]));
  const defaults = new Set(spec.label.defaultValues);
  const problems: string[] = [];
  let problemCount = 0;

  rows.forEach((row, i) => {
    const line = i + 2;
    spec.features.forEach((feature, j) => {
      const cell = row[featureIndexes[j] ?? -1] ?? '';
      const value = encodeCell(feature, cell);
      const column = columns[j];
      if (column === undefined) {
        return;
      }
      if (value === undefined) {
        problemCount++;
        if (problems.length < MAX_REPORTED) {
          problems.push(`line ${line}: ${feature.key} = "${cell}" is outside the specification`);
        }
        column[i] = Number.NaN;
      } else {
        column[i] = value;
      }
    });
    const labelCell = (row[labelIndex] ?? '').trim();
    if (isMissingCell(labelCell)) {
      problemCount++;
      if (problems.length < MAX_REPORTED) {
        problems.push(`line ${line}: the label is missing`);
      }
    }
    label[i] = defaults.has(labelCell) ? 1 : 0;
    for (const [column, index] of protectedIndexes) {
      const values = protectedValues.get(column);
      if (values !== undefined) {
        values[i] = (row[index] ?? '').trim();
      }
    }
  });

  if (problemCount > 0) {
    throw new ModelError('DATA_INVALID', `${problemCount} invalid cells: ${problems.join('; ')}`);
  }
  if (n === 0) {
    throw new ModelError('DATA_INVALID', 'the CSV has a header but no rows');
  }
  return { spec, rowCount: n, columns, label, protectedValues };
}

/** The rows at the given indexes, in that order. */
export function selectRows(data: Dataset, rows: Int32Array): Dataset {
  const pick = <T>(source: readonly T[]): T[] => Array.from(rows, (r) => source[r] as T);
  const columns = data.columns.map((column) => Float64Array.from(rows, (r) => column[r] ?? Number.NaN));
  const label = Uint8Array.from(rows, (r) => data.label[r] ?? 0);
  const protectedValues = new Map([...data.protectedValues].map(([k, v]) => [k, pick(v)]));
  return { spec: data.spec, rowCount: rows.length, columns, label, protectedValues };
}
