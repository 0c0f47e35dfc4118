import { ident } from '@scrm/warehouse';
import type { ExportType } from '@scrm/warehouse/segments/index';

/**
 * RFC 4180 CSV (comma, CRLF, quotes doubled; fields with a comma, quote, CR or LF quoted), UTF-8, header row first.
 * Dates YYYY-MM-DD, timestamps ISO 8601 UTC with milliseconds, booleans true/false, null as an empty field.
 * DuckDB formats each row into one line (vectorised, on its own threads), so that JavaScript only moves one string
 * per row from each result chunk to the response: converting every value in JavaScript is ~20× slower.
 */
const quoteText = (v: string) => `CASE WHEN contains(${v}, '"') OR contains(${v}, ',') OR contains(${v}, chr(10)) OR contains(${v}, chr(13)) THEN '"' || replace(${v}, '"', '""') || '"' ELSE ${v} END`;

const FIELD: Record<ExportType, (v: string) => string> = {
  text: quoteText,
  integer: (v) => `CAST(${v} AS VARCHAR)`,
  double: (v) => `CAST(${v} AS VARCHAR)`,
  boolean: (v) => `CASE WHEN ${v} THEN 'true' WHEN NOT ${v} THEN 'false' END`,
  date: (v) => `strftime(${v}, '%Y-%m-%d')`,
  timestamp: (v) => `strftime(${v}, '%Y-%m-%dT%H:%M:%S.%gZ')`,
};

export function csvHeader(columns: readonly { name: string }[]): string {
  return columns.map((c) => (/[",\r\n]/.test(c.name) ? `"${c.name.replaceAll('"', '""')}"` : c.name)).join(',') + '\r\n';
}

/** A SELECT of one column `line` (a CSV row without its line break) over `query`'s rows, in its order. */
export function csvLinesSql(columns: readonly { name: string; type: ExportType }[], query: string): string {
  const fields = columns.map((c) => `coalesce(${FIELD[c.type](`e.${ident(c.name)}`)}, '')`);
  return `SELECT ${fields.join(" || ',' || ")} AS line FROM (${query}) e`;
}
