import { Hono } from 'hono';
import { z } from 'zod';
import { decide, reviewQueue, ReviewError } from '@scrm/warehouse/identity/review';
import { allow } from '../auth.ts';
import type { AppContext } from '../context.ts';
import { HttpError, zodMessage } from '../errors.ts';

/**
 * The identity review queue: probabilistic matches waiting for a person, and their decisions. Analysts and admins
 * list it; deciding changes who is who, so it is for admins. A decision takes effect on the next build.
 */
const DecisionSchema = z.object({
  profile_id: z.string().min(1).max(100),
  customer_id: z.string().min(1).max(100),
  decision: z.enum(['accept', 'reject']),
  decided_by: z.string().max(200).optional(),
  note: z.string().max(2000).optional(),
});

export function identityRoutes(ctx: AppContext) {
  return new Hono()
    .get('/identity/review', allow(['analyst', 'admin'], 'the identity review queue'), async (c) => {
      const limit = Number(c.req.query('limit') ?? 50);
      const offset = Number(c.req.query('offset') ?? 0);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new HttpError(400, 'limit must be a whole number from 1 to 1000');
      if (!Number.isInteger(offset) || offset < 0) throw new HttpError(400, 'offset must be a whole number ≥ 0');
      return c.json(await ctx.pool.use((conn) => reviewQueue(conn, { limit, offset })));
    })
    .post('/identity/review', allow(['admin'], 'deciding identity matches'), async (c) => {
      const body = await c.req.json().catch(() => {
        throw new HttpError(400, 'the body must be JSON: {"profile_id", "customer_id", "decision": "accept" | "reject"}');
      });
      const parsed = DecisionSchema.safeParse(body);
      if (!parsed.success) throw new HttpError(400, zodMessage(parsed.error));
      const d = parsed.data;
      await ctx.pool
        .use((conn) => decide(conn, { profileId: d.profile_id, customerId: d.customer_id, decision: d.decision, decidedBy: d.decided_by, note: d.note }))
        .catch((err) => {
          if (err instanceof ReviewError) throw new HttpError(err.status, err.message);
          throw err;
        });
      return c.json({ recorded: d, effective: 'on the next build' }, 201);
    });
}
