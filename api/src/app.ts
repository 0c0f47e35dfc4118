import { Hono } from 'hono';
import { compress } from 'hono/compress';
import { existsSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { readFile } from 'node:fs/promises';
import { authenticate, principalOf } from './auth.ts';
import { ResponseCache } from './cache.ts';
import type { AppContext } from './context.ts';
import { errorBody, onError } from './errors.ts';
import { openApiDocument } from './openapi.ts';
import { healthRoutes } from './routes/health.ts';
import { identityRoutes } from './routes/identity.ts';
import { jobRoutes } from './routes/jobs.ts';
import { loadRoutes } from './routes/loads.ts';
import { metaRoutes } from './routes/meta.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { modelRoutes } from './routes/models.ts';
import { sessionRoutes } from './routes/session.ts';
import { sqlRoutes } from './routes/sql.ts';
import { customerRoutes } from './routes/customers.ts';
import { overviewRoutes } from './routes/overview.ts';
import { segmentRoutes } from './routes/segments.ts';
import { socialRoutes } from './routes/social.ts';

const PUBLIC = new Set(['/api/health', '/api/openapi.json', '/api/session', '/api/session/options']);

/** The whole HTTP surface: /api/* routes and the built dashboard (an SPA: unknown paths get index.html). */
export function createApp(ctx: AppContext) {
  const cache = (ctx.cache ??= new ResponseCache());
  const api = new Hono()
    .use('*', authenticate(ctx.auth.book))
    // Signed in for everything but these; routes narrow the roles further with `allow`.
    .use('*', async (c, next) => {
      if (!PUBLIC.has(c.req.path)) principalOf(c);
      await next();
    })
    .use('*', cache.middleware())
    .route('/', healthRoutes(ctx))
    .route('/', sessionRoutes(ctx))
    .route('/', metaRoutes(ctx))
    .route('/', metricsRoutes(ctx))
    .route('/', loadRoutes(ctx))
    .route('/', identityRoutes(ctx))
    .route('/', modelRoutes(ctx))
    .route('/', sqlRoutes(ctx))
    .route('/', overviewRoutes(ctx)).route('/', socialRoutes(ctx)).route('/', customerRoutes(ctx)).route('/', segmentRoutes(ctx))
    .route('/', ctx.jobs ? jobRoutes(ctx.jobs.queue) : new Hono())
    .get('/openapi.json', (c) => c.json(openApiDocument()))
    .all('*', (c) => c.json(errorBody(404, `no route ${c.req.method} ${c.req.path}; see /api/openapi.json`), 404));

  const app = new Hono();
  app.onError(onError);
  app.use('*', compress());
  app.route('/api', api);
  if (ctx.webDir && existsSync(join(ctx.webDir, 'index.html'))) app.get('*', staticFiles(ctx.webDir));
  else app.get('/', (c) => c.text('The dashboard is not built yet: run `pnpm -F @scrm/web build` (or `pnpm start`).', 503));
  return app;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.woff2': 'font/woff2', '.txt': 'text/plain',
};

function staticFiles(root: string) {
  return async (c: import('hono').Context) => {
    const path = normalize(decodeURIComponent(c.req.path)).replace(/^(\.\.[/\\])+/, '');
    const file = join(root, path);
    const ext = path.slice(path.lastIndexOf('.'));
    if (file.startsWith(root) && path !== '/' && TYPES[ext]) {
      const body = await readFile(file).catch(() => null);
      if (body) {
        const immutable = path.startsWith('/_app/immutable/');
        return c.body(body, 200, { 'content-type': TYPES[ext], 'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache' });
      }
      if (path.startsWith('/_app/')) return c.text('not found', 404);
    }
    // Read on every request: a rebuilt dashboard must not be served with the old page's script names.
    const index = await readFile(join(root, 'index.html'));
    return c.body(index, 200, { 'content-type': TYPES['.html'], 'cache-control': 'no-cache' });
  };
}
