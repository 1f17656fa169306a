/**
 * Reads a core-banking outcome file (`decision_id,status,as_of`) into checked rows, or refusals per row. Only what
 * the file itself can tell is checked here (shape, header, ids, statuses, calendar dates, duplicates); what needs
 * the centre's decisions is server/outcomes/import.ts. Messages carry ids and codes, never a field's other content:
 * a wrong export could hold a customer's name in any column.
 */
import Papa from 'papaparse';
import {
  DECISION_ID,
  LOAN_OUTCOME_STATUSES,
  MAX_OUTCOME_ROWS,
  OUTCOME_CSV_COLUMNS,
  type LoanOutcomeStatus,
  type OutcomeRowError,
} from '../../shared/sync/outcomes';

export interface OutcomeCsvRow {
  /** Line of the file where the row starts (1 is the header). */
  readonly row: number;
  readonly decisionId: string;
  readonly status: LoanOutcomeStatus;
  readonly asOf: string;
}

export interface ParsedOutcomeCsv {
  readonly rows: readonly OutcomeCsvRow[];
  readonly errors: readonly OutcomeRowError[];
}

const STATUSES: ReadonlySet<string> = new Set(LOAN_OUTCOME_STATUSES);
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar day (2026-02-30 is not), as YYYY-MM-DD. */
export function isCalendarDate(value: string): boolean {
  const match = DATE.exec(value);
  if (match === null) {
    return false;
  }
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function headerProblem(fields: readonly string[]): string | null {
  const names = fields.map((f) => f.trim().toLowerCase());
  const expected: readonly string[] = OUTCOME_CSV_COLUMNS;
  const extra = names.filter((n) => !expected.includes(n));
  if (extra.length > 0) {
    // Column names, unlike values, are the export's own vocabulary: naming them tells the operator what to drop.
    return `Unexpected column(s) ${extra.map((n) => `"${n.slice(0, 40)}"`).join(', ')}: the file has exactly the columns ${expected.join(',')}.`;
  }
  if (names.length !== expected.length || names.some((n, i) => n !== expected[i])) {
    return `The header must be exactly ${expected.join(',')} (in this order).`;
  }
  return null;
}

function checkRow(row: number, fields: readonly string[], errors: OutcomeRowError[]): OutcomeCsvRow | null {
  if (fields.length !== OUTCOME_CSV_COLUMNS.length) {
    errors.push({
      row,
      column: null,
      code: 'wrong-column-count',
      message: `The row has ${fields.length} field(s); it needs ${OUTCOME_CSV_COLUMNS.length}.`,
    });
    return null;
  }
  const [decisionId, status, asOf] = fields.map((f) => f.trim()) as [string, string, string];
  let ok = true;
  if (!DECISION_ID.test(decisionId)) {
    errors.push({
      row,
      column: 'decision_id',
      code: 'invalid-id',
      message: 'Not a decision id: DC- and 16 capital hexadecimal digits.',
    });
    ok = false;
  }
  if (!STATUSES.has(status)) {
    errors.push({
      row,
      column: 'status',
      code: 'unknown-status',
      message: `Unknown status; one of ${LOAN_OUTCOME_STATUSES.join(', ')}.`,
    });
    ok = false;
  }
  if (!isCalendarDate(asOf)) {
    errors.push({
      row,
      column: 'as_of',
      code: 'invalid-date',
      message: 'Not a calendar date in the form YYYY-MM-DD.',
    });
    ok = false;
  }
  return ok ? { row, decisionId, status: status as LoanOutcomeStatus, asOf } : null;
}

/**
 * Parses the whole body. A byte-order mark and CRLF line ends are accepted, as are blank lines at the very end; a
 * blank line between rows is refused (a file joined or cut by hand). Stops reading past MAX_OUTCOME_ROWS.
 */
export function parseOutcomeCsv(body: string): ParsedOutcomeCsv {
  const text = body.startsWith('\uFEFF') ? body.slice(1) : body;
  const rows: OutcomeCsvRow[] = [];
  const errors: OutcomeRowError[] = [];
  const firstRowOf = new Map<string, number>();
  const blanks: number[] = [];
  // An object, not a `let`: the parser's callback sets it, which flow analysis after the call would not see.
  const seen = { header: false };
  let dataRows = 0;
  let start = 0;
  let line = 1;
  Papa.parse<string[]>(text, {
    delimiter: ',',
    skipEmptyLines: false,
    step: (result, parser) => {
      const row = line;
      const end = result.meta.cursor;
      for (let i = start; i < end; i += 1) {
        if (text.charCodeAt(i) === 10) {
          line += 1;
        }
      }
      start = end;
      const fields = result.data;
      if (fields.length === 1 && (fields[0] ?? '').trim() === '') {
        blanks.push(row);
        return;
      }
      for (const blank of blanks.splice(0)) {
        errors.push({ row: blank, column: null, code: 'empty-row', message: 'An empty line between rows.' });
      }
      if (!seen.header) {
        seen.header = true;
        const problem = headerProblem(fields);
        if (problem !== null) {
          errors.push({ row, column: null, code: 'bad-header', message: problem });
          parser.abort();
        }
        return;
      }
      dataRows += 1;
      if (dataRows > MAX_OUTCOME_ROWS) {
        errors.push({
          row,
          column: null,
          code: 'too-many-rows',
          message: `More than ${MAX_OUTCOME_ROWS} rows: split the file.`,
        });
        parser.abort();
        return;
      }
      if (result.errors.length > 0) {
        errors.push({
          row,
          column: null,
          code: 'malformed-row',
          message: `Not valid CSV (${result.errors[0]?.code ?? 'parse error'}).`,
        });
        return;
      }
      const checked = checkRow(row, fields, errors);
      if (checked === null) {
        return;
      }
      const key = `${checked.decisionId} ${checked.asOf}`;
      const first = firstRowOf.get(key);
      if (first !== undefined) {
        errors.push({
          row,
          column: null,
          code: 'duplicate-row',
          message: `Decision ${checked.decisionId} as of ${checked.asOf} is already on row ${first}.`,
        });
        return;
      }
      firstRowOf.set(key, row);
      rows.push(checked);
    },
  });
  // A file refused as a whole says so alone: its rows' problems would bury the one that matters.
  const whole = errors.find((e) => e.code === 'bad-header' || e.code === 'too-many-rows');
  if (whole !== undefined) {
    return { rows: [], errors: [whole] };
  }
  if (!seen.header) {
    errors.push({ row: 1, column: null, code: 'empty-file', message: 'The file is empty: no header, no rows.' });
  } else if (dataRows === 0 && errors.length === 0) {
    errors.push({ row: 2, column: null, code: 'empty-file', message: 'The file has a header but no rows.' });
  }
  return { rows, errors };
}
