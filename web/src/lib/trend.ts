// The trend chart's data: the current period's rows with the comparison period aligned by index
// (week 1 against week 1), because the two periods' dates never coincide.

import type { Grain, MeasureFormat, MetricsRow } from './api';
import { addDays, addMonths, toLocalDate } from './date-range';
import { formatChange, formatDateRange, formatPeriod, formatValue } from './format';

export interface TrendPoint {
  period: string;
  date: Date;
  value: number | null;
  previousPeriod: string | null;
  previous: number | null;
  /** The days the period covers when the range cuts it short (a week or month at either end). */
  partial: { from: string; to: string } | null;
}

/** The last day of the period starting on `period`. */
export function periodEnd(period: string, grain: Grain): string {
  if (grain === 'day') return period;
  if (grain === 'week') return addDays(period, 6);
  return addDays(addMonths(`${period.slice(0, 7)}-01`, 1), -1);
}

/** The part of the period inside the range, or null when the range covers all of it. */
export function partialPeriod(
  period: string,
  grain: Grain,
  range: { start: string; end: string },
): { from: string; to: string } | null {
  const end = periodEnd(period, grain);
  if (period >= range.start && end <= range.end) return null;
  return { from: period < range.start ? range.start : period, to: end > range.end ? range.end : end };
}

function num(v: string | number | null | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

const byPeriod = (a: MetricsRow, b: MetricsRow) => String(a.period).localeCompare(String(b.period));

export function alignTrend(
  rows: readonly MetricsRow[],
  comparisonRows: readonly MetricsRow[] | null | undefined,
  measure: string,
  bounds?: { grain: Grain; range: { start: string; end: string } },
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
      partial: bounds ? partialPeriod(period, bounds.grain, bounds.range) : null,
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

/**
 * Axis ticks on the data's own periods (the API's weeks need not start on d3's Sunday), at most
 * `max` of them. Long daily series tick on month starts and are labelled by month.
 */
export function trendTicks(points: readonly TrendPoint[], grain: Grain, max = 8): { ticks: Date[]; labelGrain: Grain } {
  let candidates = [...points];
  let labelGrain = grain;
  if (grain === 'day' && points.length > 92) {
    candidates = points.filter((p) => p.period.endsWith('-01'));
    labelGrain = 'month';
  }
  const every = Math.max(1, Math.ceil(candidates.length / max));
  return { ticks: candidates.filter((_, i) => i % every === 0).map((p) => p.date), labelGrain };
}

/** A footnote naming the periods the range cuts short, or null when every period is whole. */
export function describePartial(points: readonly TrendPoint[], grain: Grain): string | null {
  const cut = points.filter((p) => p.partial);
  if (cut.length === 0 || grain === 'day') return null;
  const spans = cut.map((p) => formatDateRange(p.partial!.from, p.partial!.to));
  return cut.length === 1
    ? `${spans[0]} is a partial ${grain}: its value covers fewer days.`
    : `${spans.join(' and ')} are partial ${grain}s: their values cover fewer days.`;
}
