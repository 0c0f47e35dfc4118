import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { Hono } from 'hono';
import { allow } from '../auth.ts';
import { z } from 'zod';
import type { JobQueue } from '@scrm/warehouse/jobs';
import { HttpError, zodMessage } from '../errors.ts';

/**
 * Loads and builds handed over by the CLI (`scrm load` / `scrm build` while `scrm serve` runs). Admins only:
 * the CLI uses the server's own admin token, written to `<db>.server.json` (readable by the user who started
 * the server).
 */
const JobRequestSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('load'),
    spec: z.string().refine(isAbsolute, 'spec must be an absolute path on the server'),
    source: z.string().optional(),
    force: z.boolean().optional(),
  }),
  z.object({
    kind: z.literal('build'),
    asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'asOf must be YYYY-MM-DD').optional(),
    select: z.string().optional(),
    fullRefresh: z.boolean().optional(),
    sqlDir: z.string().refine(isAbsolute, 'sqlDir must be an absolute path on the server').optional(),
  }),
]);

export function jobRoutes(jobs: JobQueue) {
  const auth = allow(['admin'], 'loads and builds');
  return new Hono()
    .use('/jobs', auth)
    .use('/jobs/*', auth)
    .post('/jobs', async (c) => {
      const body = await c.req.json().catch(() => {
        throw new HttpError(400, 'the body must be a JSON job request');
      });
      const parsed = JobRequestSchema.safeParse(body);
      if (!parsed.success) throw new HttpError(400, zodMessage(parsed.error));
      if (parsed.data.kind === 'load' && !existsSync(parsed.data.spec)) throw new HttpError(400, `no source spec at ${parsed.data.spec}`);
      if (parsed.data.kind === 'build' && parsed.data.sqlDir && !existsSync(join(parsed.data.sqlDir, 'models'))) {
        throw new HttpError(400, `no models folder in ${parsed.data.sqlDir}`);
      }
      return c.json(jobs.submit(parsed.data), 202);
    })
    .get('/jobs', (c) => c.json(jobs.list()))
    .get('/jobs/:id', (c) => {
      const job = jobs.get(Number(c.req.param('id')));
      if (!job) throw new HttpError(404, `no job ${c.req.param('id')}`);
      return c.json(job);
    });
}
