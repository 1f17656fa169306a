/** `db.execute` returns the driver's own result type (PGlite's or node-postgres'): both carry `rows`. */
export function rowsOf<T>(result: unknown): T[] {
  if (typeof result === 'object' && result !== null && 'rows' in result && Array.isArray(result.rows)) {
    return result.rows as T[];
  }
  throw new Error('unexpected database result shape');
}
