import { Hono } from 'hono';
import { describeCatalog, MetricsQueryError, parseMetricsQuery, runMetricsQuery, type MetricsQueryInput } from '@scrm/warehouse';
import type { AppContext } from '../context.ts';
import { HttpError, whenMartsMissing } from '../errors.ts';

/**
 * GET /metrics: without parameters, the metric views (what a query may name); with them, the query-string
 * form of the MetricsQuery contract. POST /metrics/query: the contract as a JSON body.
 */
export function metricsRoutes(ctx: AppContext) {
  const run = async (input: unknown) => {
    const parsed = parseMetricsQuery(input);
    if (!parsed.success) throw new HttpError(400, parsed.message);
    try {
      return await ctx.pool.use((conn) => runMetricsQuery(conn, ctx.catalog, parsed.data));
    } catch (err) {
      if (err instanceof MetricsQueryError) throw new HttpError(400, err.message);
      return whenMartsMissing(err);
    }
  };
  return new Hono()
    .get('/metrics', async (c) => {
      const params = c.req.query();
      if (Object.keys(params).length === 0) return c.json(describeCatalog(ctx.catalog));
      return c.json(await run(fromQueryString(params)));
    })
    .post('/metrics/query', async (c) => {
      const body = await c.req.json().catch(() => {
        throw new HttpError(400, 'the body must be a JSON MetricsQuery');
      });
      return c.json(await run(body));
    });
}

const list = (s: string | undefined) => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : undefined);

/**
 * measures, dimensions (comma lists), from, to, grain, comparison, limit; sort as `-revenue,period`
 * (a leading `-` sorts descending); where as a JSON filter tree; any other parameter is a filter
 * `dimension=value1,value2`.
 */
export function fromQueryString(q: Record<string, string>): MetricsQueryInput {
  const known = new Set(['measures', 'dimensions', 'from', 'to', 'grain', 'comparison', 'limit', 'sort', 'where']);
  const filters: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(q)) if (!known.has(k) && list(v)) filters[k] = list(v)!;
  if (!q.from || !q.to) throw new HttpError(400, 'from and to (YYYY-MM-DD) are required');
  if (!q.measures) throw new HttpError(400, 'measures (a comma-separated list) is required');
  let where: unknown;
  if (q.where) {
    try {
      where = JSON.parse(q.where);
    } catch {
      throw new HttpError(400, 'where must be a JSON filter tree, e.g. {"dimension":"channel","op":"eq","value":"web"}');
    }
  }
  return {
    measures: list(q.measures)!,
    dimensions: list(q.dimensions) ?? [],
    timeRange: { start: q.from, end: q.to },
    grain: q.grain as MetricsQueryInput['grain'],
    filters,
    where: where as MetricsQueryInput['where'],
    comparison: (q.comparison as MetricsQueryInput['comparison']) ?? 'previous_period',
    sort: list(q.sort)?.map((s) => (s.startsWith('-') ? { field: s.slice(1), desc: true } : { field: s })),
    limit: q.limit ? Number(q.limit) : undefined,
  };
}
