import type { Value } from './csv-records.ts';

/** Pure parts of the XLSX reader: spec options and cell values as text. */
export interface XlsxOptions {
  /** Sheet name, or 1-based position in the workbook. */
  sheet: string | number;
  header: boolean;
  /** Physical rows above the header (a report title, notes). */
  skipRows: number;
}

export function xlsxOptions(sourceName: string, o: Record<string, string | number | boolean>): XlsxOptions {
  const known = ['sheet', 'header', 'skip_rows', 'extra', 'dateformat', 'timestampformat'];
  const unknown = Object.keys(o).filter((k) => !known.includes(k));
  if (unknown.length) throw new Error(`source ${sourceName}: unknown xlsx option ${unknown.join(', ')} (xlsx options: sheet, header, skip_rows)`);
  const sheet = o.sheet ?? 1;
  if (typeof sheet === 'boolean' || (typeof sheet === 'number' && !(Number.isInteger(sheet) && sheet >= 1))) {
    throw new Error(`source ${sourceName}: option sheet must be a sheet name or a 1-based sheet number, not ${sheet}`);
  }
  const skip = o.skip_rows ?? 0;
  if (typeof skip !== 'number' || !Number.isInteger(skip) || skip < 0) {
    throw new Error(`source ${sourceName}: option skip_rows must be a whole number ≥ 0, not ${skip}`);
  }
  if (o.header !== undefined && typeof o.header !== 'boolean') throw new Error(`source ${sourceName}: option header must be true or false`);
  return { sheet, header: o.header !== false, skipRows: skip };
}

/** Whether the worksheet at `position` (1-based, workbook order) named `name` is the one the options ask for. */
export function isWantedSheet(wanted: string | number, name: string, position: number): boolean {
  return typeof wanted === 'number' ? position === wanted : name === wanted;
}

/**
 * A cell value as exceljs gives it, as text: numbers and booleans as written, dates (exceljs turns
 * date-formatted cells into Dates at the wall-clock time as UTC) as ISO timestamps, rich text joined,
 * formulas as their cached result, hyperlinks as their text, errors (#N/A, #DIV/0! …) and empty cells as null.
 */
export function cellText(v: unknown): Value {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v === '' ? null : v;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : null;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('error' in o) return null;
    if (Array.isArray(o.richText)) return cellText((o.richText as { text?: string }[]).map((r) => r.text ?? '').join(''));
    if ('formula' in o || 'sharedFormula' in o) return cellText(o.result);
    if ('text' in o) return cellText(o.text);
  }
  return String(v);
}

/** Cells of a row (exceljs `row.values`: 1-based, sparse) as text, without trailing empty cells. */
export function rowValues(values: unknown): Value[] {
  const cells = Array.isArray(values) ? values : [];
  const out: Value[] = [];
  for (let i = 1; i < cells.length; i++) out.push(cellText(cells[i]));
  while (out.length && isBlank(out[out.length - 1])) out.pop();
  return out;
}

function isBlank(v: Value): boolean {
  return v === null || v.trim() === '';
}

/** A row with no value at all (blank cells only) is not a record. */
export function isEmptyRow(values: readonly Value[]): boolean {
  return values.every(isBlank);
}
