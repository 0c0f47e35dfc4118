// The trend chart's data: the current period's rows with the comparison period aligned by index
// (week 1 against week 1), because the two periods' dates never coincide.

import type { Grain, MeasureFormat, MetricsRow } from './api';
import { toLocalDate } from './date-range';
import { formatChange, formatDateRange, formatPeriod, formatValue } from './format';

export interface TrendPoint {
  period: string;
  date: Date;
  value: number | null;
  previousPeriod: string | null;
  previous: number | null;
}

function num(v: string | number | null | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

const byPeriod = (a: MetricsRow, b: MetricsRow) => String(a.period).localeCompare(String(b.period));

export function alignTrend(
  rows: readonly MetricsRow[],
  comparisonRows: readonly MetricsRow[] | null | undefined,
  measure: string,
): TrendPoint[] {
  const current = [...rows].sort(byPeriod);
  const previous = [...(comparisonRows ?? [])].sort(byPeriod);
  return current.map((row, i) => {
    const prev = previous[i];
    const period = String(row.period);
    return {
      period,
      date: toLocalDate(period),
      value: num(row[measure]),
      previousPeriod: prev ? String(prev.period) : null,
      previous: prev ? num(prev[measure]) : null,
    };
  });
}

export function hasTrendData(points: readonly TrendPoint[]): boolean {
  return points.some((p) => p.value !== null && p.value !== 0);
}

/** A one-sentence reading of the chart for its aria-label. */
export function describeTrend(
  points: readonly TrendPoint[],
  opts: { label: string; format: MeasureFormat; grain: Grain; total?: number | null; previousTotal?: number | null },
): string {
  const valued = points.filter((p) => p.value !== null);
  if (valued.length === 0) return `${opts.label}: no data in this range.`;
  const first = points[0].period;
  const last = points[points.length - 1].period;
  const peak = valued.reduce((a, b) => ((b.value as number) > (a.value as number) ? b : a));
  const parts = [`${opts.label} by ${opts.grain}, ${formatDateRange(first, last)}.`];
  if (opts.total != null) {
    const change = formatChange(opts.total, opts.previousTotal, opts.format);
    parts.push(
      `Total ${formatValue(opts.total, opts.format)}` +
        (change ? `, ${change.text} against the previous period.` : '.'),
    );
  }
  parts.push(`Highest: ${formatValue(peak.value, opts.format)} in ${formatPeriod(peak.period, opts.grain)}.`);
  return parts.join(' ');
}
