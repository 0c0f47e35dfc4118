import { Hono } from 'hono';
import type { AppContext } from '../context.ts';
import { whenMartsMissing } from '../errors.ts';

/** What the dashboard needs to draw its controls: brands, networks, the data's date range, the metric catalog. */
export function metaRoutes(ctx: AppContext) {
  return new Hono().get('/meta', async (c) => {
    const data = await ctx.pool.use(async (conn) => {
      try {
        const brands = await conn.all(`SELECT brand, is_own FROM staging.stg_brands ORDER BY is_own DESC, brand`);
        const networks = (await conn.all<{ network: string }>(`SELECT DISTINCT network FROM marts.share_of_voice_daily ORDER BY 1`)).map((r) => r.network);
        const range = await conn.one<{ min: string; max: string }>(`SELECT min(date) AS min, max(date) AS max FROM marts.kpi_daily`);
        return { brands, networks, dataRange: range };
      } catch (err) {
        return whenMartsMissing(err);
      }
    });
    const measures = [...ctx.catalog.measures.values()].map((m) => ({ name: m.name, label: m.label, format: m.format, description: m.description, view: m.view }));
    const dims = new Map<string, { name: string; label: string; views: string[] }>();
    for (const v of ctx.catalog.views) {
      for (const [name, d] of Object.entries(v.dimensions)) {
        const e = dims.get(name) ?? { name, label: d.label, views: [] };
        e.views.push(v.name);
        dims.set(name, e);
      }
    }
    return c.json({ ...data, measures, dimensions: [...dims.values()] });
  });
}
