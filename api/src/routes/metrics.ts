import { Hono } from 'hono';
import { MetricsQueryError, MetricsQuerySchema, runMetricsQuery, type MetricsQueryInput } from '@scrm/warehouse';
import type { AppContext } from '../context.ts';
import { HttpError, whenMartsMissing, zodMessage } from '../errors.ts';

/** GET /metrics (query-string form) and POST /metrics/query (JSON body) of the MetricsQuery contract. */
export function metricsRoutes(ctx: AppContext) {
  const run = async (input: unknown) => {
    const parsed = MetricsQuerySchema.safeParse(input);
    if (!parsed.success) throw new HttpError(400, zodMessage(parsed.error));
    try {
      return await ctx.pool.use((conn) => runMetricsQuery(conn, ctx.catalog, parsed.data));
    } catch (err) {
      if (err instanceof MetricsQueryError) throw new HttpError(400, err.message);
      return whenMartsMissing(err);
    }
  };
  return new Hono()
    .get('/metrics', async (c) => c.json(await run(fromQueryString(c.req.query()))))
    .post('/metrics/query', async (c) => {
      const body = await c.req.json().catch(() => {
        throw new HttpError(400, 'the body must be a JSON MetricsQuery');
      });
      return c.json(await run(body));
    });
}

const list = (s: string | undefined) => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : undefined);

export function fromQueryString(q: Record<string, string>): MetricsQueryInput {
  const known = new Set(['measures', 'dimensions', 'from', 'to', 'grain', 'comparison', 'limit']);
  const filters: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(q)) if (!known.has(k) && list(v)) filters[k] = list(v)!;
  if (!q.from || !q.to) throw new HttpError(400, 'from and to (YYYY-MM-DD) are required');
  if (!q.measures) throw new HttpError(400, 'measures (a comma-separated list) is required');
  return {
    measures: list(q.measures)!,
    dimensions: list(q.dimensions) ?? [],
    timeRange: { start: q.from, end: q.to },
    grain: q.grain as MetricsQueryInput['grain'],
    filters,
    comparison: (q.comparison as MetricsQueryInput['comparison']) ?? 'previous_period',
    limit: q.limit ? Number(q.limit) : undefined,
  };
}
