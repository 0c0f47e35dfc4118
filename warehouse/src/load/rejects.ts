import { literal, type Connection } from '../db/duckdb.ts';
import { REJECTS_SCAN, REJECTS_TABLE } from './readers.ts';

/**
 * Rows DuckDB's read_csv could not split into the file's columns (too many or too few columns, an
 * unterminated quote, bytes invalid in the encoding): the CSV reader (readers.ts prepareReader) stores
 * them in a temp rejects table instead of failing the file. These move them to meta.quarantine, one
 * row per bad line: record_no = the line number in the file, raw = {"line": "<the raw line>"}, and a
 * reason in plain words that names the line.
 */
export async function dropRejects(c: Connection): Promise<void> {
  await c.run(`DROP TABLE IF EXISTS temp.${REJECTS_TABLE}; DROP TABLE IF EXISTS temp.${REJECTS_SCAN}`);
}

export interface RejectTarget {
  loadId: number;
  source: string;
  entity: string;
  file: string;
}

/** SQL for the plain-words reason of one rejects-table row (columns line, error_type, error_message). */
export function rejectReasonSql(): string {
  const expected = `regexp_extract(error_message, 'Expected Number of Columns: (\\d+)', 1)`;
  const found = `regexp_extract(error_message, 'Found: (\\d+)', 1)`;
  return `'line ' || line || ': ' || CASE error_type
    WHEN 'TOO MANY COLUMNS' THEN 'too many columns (expected ' || ${expected} || ', found ' || ${found} || ')'
    WHEN 'MISSING COLUMNS' THEN 'too few columns (expected ' || ${expected} || ', found ' || ${found} || ')'
    WHEN 'UNQUOTED VALUE' THEN 'unterminated or misplaced quote (' || error_message || ')'
    WHEN 'INVALID ENCODING' THEN 'bytes not valid in the file''s encoding (' || error_message || ')'
    WHEN 'INVALID UNICODE' THEN 'bytes not valid in the file''s encoding (' || error_message || ')'
    WHEN 'LINE SIZE OVER MAXIMUM' THEN 'line too long (' || error_message || ')'
    ELSE lower(error_type) || ' (' || error_message || ')' END`;
}

/** Moves the rejected lines of the last scan into meta.quarantine; returns how many lines were rejected. */
export async function quarantineRejects(c: Connection, t: RejectTarget): Promise<number> {
  const exists = await c.one(`SELECT 1 FROM duckdb_tables() WHERE temporary AND table_name = ${literal(REJECTS_TABLE)}`);
  if (!exists) return 0;
  // A line with several missing columns has one rejects row per column: keep the first.
  await c.run(`INSERT INTO meta.quarantine
    SELECT ${t.loadId}, ${literal(t.source)}, ${literal(t.entity)}, ${literal(t.file)}, line, [${rejectReasonSql()}],
      json_object('line', csv_line), now()
    FROM (SELECT line, arg_min(error_type, column_idx) AS error_type, arg_min(error_message, column_idx) AS error_message,
            arg_min(csv_line, column_idx) AS csv_line
          FROM temp.${REJECTS_TABLE} GROUP BY line)`);
  const n = Number(await c.value(`SELECT count(DISTINCT line) FROM temp.${REJECTS_TABLE}`));
  await dropRejects(c);
  return n;
}
