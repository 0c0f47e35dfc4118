import { Hono } from 'hono';
import { allow } from '../auth.ts';
import type { AppContext } from '../context.ts';

/**
 * The load audit for the dashboard's Data page: recent loads with their counts, and what was quarantined,
 * per source and reason (the rows themselves, which may hold personal data, are for `scrm quarantine`).
 */
export function loadRoutes(ctx: AppContext) {
  const auth = allow(['analyst', 'admin'], 'the load audit');
  return new Hono()
    .use('/loads', auth)
    .use('/quarantine/*', auth)
    .get('/loads', async (c) => {
      const limit = Math.min(Math.max(Number(c.req.query('limit') ?? 50) || 50, 1), 500);
      const rows = await ctx.pool.use((conn) =>
        conn.all(
          `SELECT load_id, source, entity, file, status, started_at, finished_at, rows_read, rows_loaded, rows_updated,
                  rows_duplicate, rows_quarantined, rows_orphan, message
           FROM meta.loads ORDER BY load_id DESC LIMIT $1`,
          [limit],
        ),
      );
      return c.json({ loads: rows });
    })
    .get('/quarantine/summary', async (c) => {
      const rows = await ctx.pool.use((conn) =>
        conn.all(
          `SELECT source, entity, reason, count(*) AS rows, max(quarantined_at) AS last_at
           FROM (SELECT source, entity, quarantined_at,
                   regexp_replace(unnest(reasons), ':.*$', '') AS reason FROM meta.quarantine)
           GROUP BY ALL ORDER BY rows DESC, source, reason`,
        ),
      );
      return c.json({ reasons: rows });
    });
}
