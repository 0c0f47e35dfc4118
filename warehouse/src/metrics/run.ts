import type { Connection, Row } from '../db/duckdb.ts';
import { compileViewQuery, planQuery } from './compile.ts';
import type { MetricCatalog } from './definitions.ts';
import { previousPeriod, type DateRange, type Grain, type MetricsQuery } from './query.ts';

/** Runs a MetricsQuery: one SQL query per metric view and period, merged on period and dimensions. */
export interface MetricsResult {
  timeRange: DateRange;
  comparisonRange: DateRange | null;
  grain: Grain | null;
  measures: { name: string; label: string; format: string; description: string; view: string }[];
  totals: Row | null;
  comparisonTotals: Row | null;
  totalsByDimension?: Row[];
  comparisonTotalsByDimension?: Row[];
  rows: Row[];
  comparisonRows: Row[] | null;
}

export async function runMetricsQuery(c: Connection, catalog: MetricCatalog, q: MetricsQuery): Promise<MetricsResult> {
  const parts = planQuery(catalog, q);
  const keys = [...(q.grain ? ['period'] : []), ...q.dimensions];
  const run = async (range: DateRange, grain: Grain | undefined, keyCols: string[]) => {
    const results = await Promise.all(
      parts.map(async (p) => {
        const compiled = compileViewQuery(p, q, range, grain);
        return c.all(compiled.sql, compiled.parameters as never);
      }),
    );
    return mergeRows(results, keyCols, q.measures);
  };
  const comparison = q.comparison === 'previous_period' ? previousPeriod(q.timeRange) : null;
  const [rows, totalsRows, cmpRows, cmpTotals] = await Promise.all([
    q.grain ? run(q.timeRange, q.grain, keys) : Promise.resolve([]),
    run(q.timeRange, undefined, q.dimensions),
    comparison && q.grain ? run(comparison, q.grain, keys) : Promise.resolve(null),
    comparison ? run(comparison, undefined, q.dimensions) : Promise.resolve(null),
  ]);
  const result: MetricsResult = {
    timeRange: q.timeRange,
    comparisonRange: comparison,
    grain: q.grain ?? null,
    measures: q.measures.map((n) => {
      const m = catalog.measures.get(n)!;
      return { name: n, label: m.label, format: m.format, description: m.description, view: m.view };
    }),
    totals: q.dimensions.length ? null : (totalsRows[0] ?? emptyRow(q.measures)),
    comparisonTotals: q.dimensions.length || !cmpTotals ? null : (cmpTotals[0] ?? emptyRow(q.measures)),
    rows,
    comparisonRows: cmpRows,
  };
  if (q.dimensions.length) {
    result.totalsByDimension = totalsRows;
    result.comparisonTotalsByDimension = cmpTotals ?? undefined;
  }
  return result;
}

function emptyRow(measures: string[]): Row {
  return Object.fromEntries(measures.map((m) => [m, null]));
}

/** Joins the per-view results on their key columns; a measure a view has no row for is null. */
export function mergeRows(results: Row[][], keys: string[], measures: string[]): Row[] {
  const merged = new Map<string, Row>();
  for (const rows of results) {
    for (const r of rows) {
      const k = JSON.stringify(keys.map((c) => r[c]));
      const target = merged.get(k) ?? Object.fromEntries([...keys.map((c) => [c, r[c]]), ...measures.map((m) => [m, null])]);
      for (const m of measures) if (m in r) target[m] = r[m] ?? null;
      merged.set(k, target);
    }
  }
  const out = [...merged.values()];
  out.sort((a, b) => {
    for (const c of keys) {
      const x = String(a[c] ?? ''), y = String(b[c] ?? '');
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  });
  return out;
}
