/**
 * Mobile-money / bank statement import. Format (docs/statement-format.md, sample in resources/samples/):
 *
 *   date,direction,category,amount
 *   2026-01-03,in,business,4500
 *
 * `direction` is `in` or `out`; `category` one of STATEMENT_CATEGORIES; `amount` a positive number in the statement's
 * currency. Only features are derived and kept; the transactions are dropped after derivation.
 */
import Papa from 'papaparse';
import { MAX_REPORTED_ROWS } from '../../../shared/rules/statement';
import { NexisError } from '../errors';

export const STATEMENT_CATEGORIES = [
  'salary',
  'business',
  'transfer',
  'airtime',
  'utility',
  'rent',
  'savings',
  'loan_repayment',
  'loan_disbursement',
  'purchase',
  'withdrawal',
  'other',
] as const;
export type StatementCategory = (typeof STATEMENT_CATEGORIES)[number];

export interface Transaction {
  readonly date: string;
  readonly month: string;
  readonly direction: 'in' | 'out';
  readonly category: StatementCategory;
  readonly amount: number;
}

const REQUIRED_COLUMNS = ['date', 'direction', 'category', 'amount'] as const;
export const MAX_STATEMENT_ROWS = 50_000;

function fail(row: number | null, column: string | null, problem: string): never {
  throw new NexisError(
    'IMPORT_INVALID',
    `Statement not imported (${where(row, column)}): ${problem}. Nothing was saved.`,
  );
}

function where(row: number | null, column: string | null): string {
  return [row === null ? null : `row ${row}`, column === null ? null : `column "${column}"`].filter(Boolean).join(', ');
}

interface RowProblem {
  readonly row: number;
  readonly column: string;
  readonly problem: string;
}

/**
 * Parses and checks every row. A file with bad rows is refused as a whole (nothing half-imported), and the refusal
 * lists every bad row with its column, up to MAX_REPORTED_ROWS, then how many more, so one correction pass fixes all.
 */
export function parseStatement(csv: string): Transaction[] {
  const parsed = Papa.parse<Record<string, string>>(csv.replace(/^\uFEFF/, ''), {
    header: true,
    skipEmptyLines: 'greedy',
    transformHeader: (h) => h.trim().toLowerCase(),
  });
  const columns = parsed.meta.fields ?? [];
  for (const column of REQUIRED_COLUMNS) {
    if (!columns.includes(column)) {
      fail(1, column, 'the header lacks this column (expected date,direction,category,amount)');
    }
  }
  const structural = parsed.errors.find((e) => e.type !== 'FieldMismatch' || e.code !== 'TooFewFields');
  if (structural) {
    fail(
      structural.row === undefined ? null : structural.row + 2,
      null,
      `the file is not valid CSV (${structural.message})`,
    );
  }
  if (parsed.data.length === 0) {
    fail(null, null, 'the file has no transactions');
  }
  if (parsed.data.length > MAX_STATEMENT_ROWS) {
    fail(null, null, `more than ${MAX_STATEMENT_ROWS} transactions`);
  }
  const transactions: Transaction[] = [];
  const problems: RowProblem[] = [];
  parsed.data.forEach((record, index) => {
    const result = parseRow(record, index + 2);
    if ('problem' in result) {
      problems.push(result);
    } else {
      transactions.push(result);
    }
  });
  if (problems.length > 0) {
    throw new NexisError('IMPORT_INVALID', problemReport(problems));
  }
  return transactions;
}

function problemReport(problems: readonly RowProblem[]): string {
  const listed = problems.slice(0, MAX_REPORTED_ROWS).map((p) => `${where(p.row, p.column)}: ${p.problem}`);
  const more = problems.length - listed.length;
  const count = problems.length === 1 ? '1 row has a problem' : `${problems.length} rows have problems`;
  return (
    `Statement not imported: ${count}. ${listed.join('; ')}${more > 0 ? `; and ${more} more rows` : ''}. ` +
    'Nothing was saved: correct these rows in the file and import it again.'
  );
}

function parseRow(record: Record<string, string>, row: number): Transaction | RowProblem {
  const date = (record.date ?? '').trim();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) {
    return { row, column: 'date', problem: 'expected a date as YYYY-MM-DD' };
  }
  const direction = (record.direction ?? '').trim().toLowerCase();
  if (direction !== 'in' && direction !== 'out') {
    return { row, column: 'direction', problem: 'expected "in" or "out"' };
  }
  const category = (record.category ?? '').trim().toLowerCase() as StatementCategory;
  if (!STATEMENT_CATEGORIES.includes(category)) {
    return { row, column: 'category', problem: `expected one of ${STATEMENT_CATEGORIES.join(', ')}` };
  }
  const amountText = (record.amount ?? '').trim();
  const amount = Number(amountText);
  if (!/^\d+(\.\d{1,2})?$/.test(amountText) || !Number.isFinite(amount) || amount <= 0 || amount > 1e9) {
    return { row, column: 'amount', problem: 'expected a positive amount such as 1500 or 1500.50' };
  }
  return { date, month: date.slice(0, 7), direction, category, amount };
}
