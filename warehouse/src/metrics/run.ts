import type { Connection } from '../db/duckdb.ts';
import { compileViewQuery, effectiveSort, planQuery } from './compile.ts';
import type { MetricsResult, MetricsRow, SortKey } from './contract.ts';
import type { MetricCatalog } from './definitions.ts';
import { comparisonRange, type DateRange, type Grain, type MetricsQuery } from './query.ts';

export type { MetricsResult } from './contract.ts';

/** Runs a MetricsQuery: one SQL query per metric view and period, merged on period and dimensions. */
export async function runMetricsQuery(c: Connection, catalog: MetricCatalog, q: MetricsQuery): Promise<MetricsResult> {
  const plan = planQuery(catalog, q);
  const { grain } = plan;
  const keys = [...(grain ? ['period'] : []), ...q.dimensions];
  const run = async (range: DateRange, g: Grain | undefined, sort: SortKey[]) => {
    const results = await Promise.all(
      plan.parts.map(async (p) => {
        const compiled = compileViewQuery(plan, p, range, { grain: g, sort });
        return c.all<MetricsRow>(compiled.sql, compiled.parameters as never);
      }),
    );
    return mergeRows(results, g ? keys : q.dimensions, q.measures, effectiveSort(sort, g)).slice(0, q.limit);
  };
  // Comparison rows stay in key order: the trend aligns them with the current rows by position.
  const comparison = comparisonRange(q.comparison, q.timeRange);
  const [rows, totalsRows, cmpRows, cmpTotals] = await Promise.all([
    grain ? run(q.timeRange, grain, q.sort) : Promise.resolve([]),
    run(q.timeRange, undefined, q.sort),
    comparison && grain ? run(comparison, grain, []) : Promise.resolve(null),
    comparison ? run(comparison, undefined, []) : Promise.resolve(null),
  ]);
  const result: MetricsResult = {
    timeRange: q.timeRange,
    comparison: q.comparison,
    comparisonRange: comparison,
    grain: grain ?? null,
    measures: q.measures.map((n) => {
      const m = catalog.measures.get(n)!;
      const part = plan.parts.find((p) => p.view.name === m.view)!;
      return { name: n, label: m.label, format: m.format, description: m.description, view: m.view, unappliedFilters: part.unappliedFilters };
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

function emptyRow(measures: string[]): MetricsRow {
  return Object.fromEntries(measures.map((m) => [m, null]));
}

/**
 * Joins the per-view results on their key columns (a measure a view has no row for is null), then orders
 * them by `sort` and the keys, nulls last, as the SQL does.
 */
export function mergeRows(results: MetricsRow[][], keys: string[], measures: string[], sort: SortKey[] = []): MetricsRow[] {
  const merged = new Map<string, MetricsRow>();
  for (const rows of results) {
    for (const r of rows) {
      const k = JSON.stringify(keys.map((c) => r[c]));
      const target = merged.get(k) ?? Object.fromEntries([...keys.map((c) => [c, r[c]]), ...measures.map((m) => [m, null])]);
      for (const m of measures) if (m in r) target[m] = r[m] ?? null;
      merged.set(k, target);
    }
  }
  const order = [...sort, ...keys.filter((k) => !sort.some((s) => s.field === k)).map((field) => ({ field, desc: false }))];
  return [...merged.values()].sort((a, b) => {
    for (const { field, desc } of order) {
      const c = compareValues(a[field], b[field], !!desc);
      if (c) return c;
    }
    return 0;
  });
}

function compareValues(x: unknown, y: unknown, desc: boolean): number {
  if (x === y) return 0;
  if (x === null || x === undefined) return 1;
  if (y === null || y === undefined) return -1;
  const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x) < String(y) ? -1 : String(x) > String(y) ? 1 : 0;
  return desc ? -c : c;
}
