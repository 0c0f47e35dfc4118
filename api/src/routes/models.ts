import { Hono } from 'hono';
import { describeModels, SQL_DIR, type ModelDoc } from '@scrm/warehouse';
import type { AppContext } from '../context.ts';
import { HttpError } from '../errors.ts';

/**
 * The documentation of the models and marts (what analysts query): description, materialisation, columns with
 * their types and docs, lineage, rows and the build that produced them. Read from the SQL files the server
 * builds from and from the database, in one transaction.
 */
export function modelRoutes(ctx: AppContext, sqlDir = SQL_DIR) {
  const docs = () => ctx.pool.use((conn) => describeModels(conn, sqlDir));
  return new Hono()
    .get('/models', async (c) => {
      const layer = c.req.query('layer');
      if (layer !== undefined && !['staging', 'intermediate', 'marts'].includes(layer)) {
        throw new HttpError(400, `layer must be staging, intermediate or marts, not "${layer}"`);
      }
      const all = await docs();
      return c.json({ models: layer ? all.filter((m) => m.layer === layer) : all });
    })
    .get('/models/:name', async (c) => {
      const name = c.req.param('name');
      const all = await docs();
      const found: ModelDoc[] = all.filter((m) => m.name === name || m.name.split('.')[1] === name);
      if (found.length !== 1) {
        throw new HttpError(404, found.length ? `${name} is ambiguous: ${found.map((m) => m.name).join(', ')}` : `no model ${name}; see GET /api/models`);
      }
      return c.json(found[0]);
    });
}
