import type { ExportType } from '@scrm/warehouse/segments/index';
import type { Columns } from './chunks.ts';

/**
 * RFC 4180 CSV (comma, CRLF, quotes doubled; fields with a comma, quote, CR or LF quoted), UTF-8, header row first.
 * Dates YYYY-MM-DD, timestamps ISO 8601 UTC, booleans true/false, null as an empty field.
 */
const NEEDS_QUOTES = /[",\r\n]/;
const text = (v: string) => (NEEDS_QUOTES.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

const FORMAT: Record<ExportType, (v: unknown) => string> = {
  text: (v) => text(String(v)),
  integer: (v) => String(v),
  double: (v) => String(v),
  boolean: (v) => (v ? 'true' : 'false'),
  date: (v) => (v as Date).toISOString().slice(0, 10),
  timestamp: (v) => (v as Date).toISOString(),
};

export function csvHeader(columns: readonly { name: string }[]): string {
  return columns.map((c) => text(c.name)).join(',') + '\r\n';
}

export function csvRows(columns: readonly { type: ExportType }[], values: Columns, rows: number): string {
  const formats = columns.map((c) => FORMAT[c.type]);
  const n = formats.length;
  let out = '';
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < n; i++) {
      const v = values[i][r];
      if (i) out += ',';
      if (v !== null && v !== undefined) out += formats[i](v);
    }
    out += '\r\n';
  }
  return out;
}
