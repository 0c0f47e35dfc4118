import { Hono } from 'hono';
import { latestBuild } from '@scrm/warehouse';
import type { AppContext } from '../context.ts';

export function healthRoutes(ctx: AppContext) {
  return new Hono().get('/health', async (c) => {
    const build = await ctx.pool.use((conn) => latestBuild(conn).catch(() => null));
    return c.json({ status: 'ok', db: ctx.db.path, build: build && { id: build.build_id, finished_at: build.finished_at, as_of: build.as_of } });
  });
}
