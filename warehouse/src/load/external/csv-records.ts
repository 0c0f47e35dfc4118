/**
 * Records of a materialised source as CSV that DuckDB reads with `read_csv(…, all_varchar = true, header = true)`:
 * every value is text (or null) and the loader's stage plan types it, exactly as for a CSV export. Every value
 * is quoted and every record has every column, so DuckDB's dialect sniffer has nothing to guess.
 */
export type Value = string | null;

/** One CSV line (with its newline); null is an empty unquoted field, which DuckDB reads as NULL. */
export function csvLine(values: readonly Value[]): string {
  return values.map((v) => (v === null ? '' : `"${v.replace(/"/g, '""')}"`)).join(',') + '\n';
}

/**
 * Column names from a header (or none): blank names become `column<N>` (1-based position), repeated names get
 * `_2`, `_3` …, and the list is padded to `width` columns.
 */
export function columnNames(header: readonly Value[], width = header.length): string[] {
  const seen = new Set<string>();
  const names: string[] = [];
  for (let i = 0; i < Math.max(width, header.length); i++) {
    const base = header[i]?.trim() || `column${i + 1}`;
    let name = base;
    for (let n = 2; seen.has(name.toLowerCase()); n++) name = `${base}_${n}`;
    seen.add(name.toLowerCase());
    names.push(name);
  }
  return names;
}

/** A record padded (or, never, cut) to `width` values. */
export function padRecord(values: readonly Value[], width: number): Value[] {
  const out = values.slice(0, width);
  while (out.length < width) out.push(null);
  return out;
}
