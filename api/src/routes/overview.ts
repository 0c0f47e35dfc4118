import { Hono } from 'hono';
import { z } from 'zod';
import { MetricsQueryError, parseMetricsQuery, runMetricsQuery } from '@scrm/warehouse';
import { IsoDate } from '@scrm/warehouse/metrics/query';
import type { AppContext } from '../context.ts';
import { HttpError, whenMartsMissing } from '../errors.ts';
import { parseQuery } from '../validate.ts';

/**
 * GET /overview: the executive KPIs of a date range in one call, each with the previous period's value (as many
 * days right before the range) and the change. One MetricsQuery: the figures are the metric layer's, defined in
 * sql/metrics/*.yaml.
 */
export const OVERVIEW_MEASURES = [
  'revenue', 'orders', 'active_customers', 'repeat_customers', 'aov', 'avg_clv',
  'share_of_voice', 'net_sentiment', 'mentions', 'median_first_response', 'campaign_roi',
] as const;

const RangeQuery = z
  .object({ from: IsoDate, to: IsoDate })
  .refine((r) => r.from <= r.to, { message: 'from must not be after to', path: ['from'] });

export interface Kpi {
  name: string;
  label: string;
  format: string;
  description: string;
  value: number | null;
  previous: number | null;
  /** value − previous. */
  change: number | null;
  /** (value − previous) / |previous|; null when previous is 0 or missing. */
  changeRatio: number | null;
}

export function kpiChange(value: number | null, previous: number | null): Pick<Kpi, 'change' | 'changeRatio'> {
  if (value === null || previous === null) return { change: null, changeRatio: null };
  return { change: value - previous, changeRatio: previous === 0 ? null : (value - previous) / Math.abs(previous) };
}

export function overviewRoutes(ctx: AppContext) {
  return new Hono().get('/overview', async (c) => {
    const { from, to } = parseQuery(RangeQuery, c.req.query());
    const q = parseMetricsQuery({ measures: [...OVERVIEW_MEASURES], timeRange: { start: from, end: to }, grain: 'none', comparison: 'previous_period' });
    if (!q.success) throw new HttpError(400, q.message);
    const result = await ctx.pool.use((conn) => runMetricsQuery(conn, ctx.catalog, q.data)).catch((err) => {
      if (err instanceof MetricsQueryError) throw new HttpError(400, err.message);
      return whenMartsMissing(err);
    });
    const num = (v: unknown) => (typeof v === 'number' ? v : null);
    const kpis: Kpi[] = result.measures.map((m) => {
      const value = num(result.totals?.[m.name]);
      const previous = num(result.comparisonTotals?.[m.name]);
      return { name: m.name, label: m.label, format: m.format, description: m.description, value, previous, ...kpiChange(value, previous) };
    });
    return c.json({ timeRange: result.timeRange, comparisonRange: result.comparisonRange, kpis });
  });
}
