import type { Row } from '../db/duckdb.ts';

/** Rendering of query results for the terminal and for scripts. Pure. */
export function formatTable(rows: Row[], maxWidth = 40): string {
  if (rows.length === 0) return '(no rows)';
  const cols = Object.keys(rows[0]);
  const cell = (v: unknown) => {
    const s = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
    return s.length > maxWidth ? s.slice(0, maxWidth - 1) + '…' : s;
  };
  const cells = rows.map((r) => cols.map((c) => cell(r[c])));
  const widths = cols.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i].length)));
  const numeric = cols.map((c) => rows.every((r) => r[c] === null || typeof r[c] === 'number'));
  const line = (vals: string[]) => vals.map((v, i) => (numeric[i] ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(cols), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

export function formatCsv(rows: Row[]): string {
  if (rows.length === 0) return '';
  const cols = Object.keys(rows[0]);
  const esc = (v: unknown) => {
    if (v === null || v === undefined) return '';
    const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return [cols.map(esc).join(','), ...rows.map((r) => cols.map((c) => esc(r[c])).join(','))].join('\n') + '\n';
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** One row of meta.quarantine as `scrm quarantine` lists it. */
export type QuarantineRow = {
  load_id: number;
  source: string;
  file: string;
  record_no: number;
  reasons: string[];
  /** JSON text: the raw values, or {"line": "…"} for a line the CSV reader could not split. */
  raw: string | null;
};

/** `scrm quarantine` output: a table (reasons joined by "; ", raw as compact JSON), CSV, or JSON with raw parsed. */
export function formatQuarantine(rows: QuarantineRow[], format: 'table' | 'csv' | 'json'): string {
  const parsed = rows.map((r) => ({ ...r, raw: r.raw === null ? null : (JSON.parse(r.raw) as unknown) }));
  if (format === 'json') return JSON.stringify(parsed, null, 2) + '\n';
  const flat = parsed.map((r) => ({
    load: r.load_id,
    source: r.source,
    file: r.file,
    record: r.record_no,
    reasons: r.reasons.join('; '),
    raw: r.raw === null ? '' : JSON.stringify(r.raw),
  }));
  if (format === 'csv') return formatCsv(flat);
  return formatTable(flat, 60) + '\n';
}

/** One line of `scrm build`'s log: model, materialisation, full or incremental, rows, rows written, time, why. */
export function formatModelRun(r: {
  model: string; materialized: string; mode: string; reason: string | null; rows: number | null; written: number | null; ms: number;
}): string {
  const n = (x: number | null) => (x === null ? '' : x.toLocaleString('en-US'));
  const rows = r.rows === null ? '' : `${n(r.rows)} rows`;
  const written = r.mode === 'incremental' ? `+${n(r.written)} new/changed` : '';
  const mode = r.materialized === 'view' ? '' : r.mode;
  const line = `  ${r.model.padEnd(36)} ${r.materialized.padEnd(11)} ${mode.padEnd(11)} ${rows.padStart(16)} ${written.padEnd(20)} ${seconds(r.ms).padStart(7)}`;
  return (r.reason && r.materialized === 'incremental' ? `${line}  ${r.reason}` : line).trimEnd();
}
