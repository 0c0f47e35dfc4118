import { Hono } from 'hono';
import { z } from 'zod';
import { parseMetricsQuery, runMetricsQuery } from '@scrm/warehouse';
import { IsoDate } from '@scrm/warehouse/metrics/query';
import { principalOf, seesPii } from '../auth.ts';
import type { AppContext } from '../context.ts';
import { HttpError, whenMartsMissing } from '../errors.ts';
import { maskField, maskRow } from '../pii.ts';
import { parseQuery } from '../validate.ts';

/**
 * Social listening for every role: share of voice and sentiment by brand over a date range (the metric layer's
 * social measures), and the advocates and detractors from marts.social_authors, ranked by the CLV of the customer
 * they are linked to. A linked author is a customer: their names and handle are masked for every role but admin.
 */
const RangeQuery = z
  .object({ from: IsoDate, to: IsoDate })
  .refine((r) => r.from <= r.to, { message: 'from must not be after to', path: ['from'] });

export const AUTHOR_ROLES = ['influencer', 'ambassador', 'detractor'] as const;

const AuthorsQuery = z.object({
  role: z.enum(AUTHOR_ROLES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

const SOV_MEASURES = ['mentions', 'share_of_voice', 'share_of_engagement', 'positive_mentions', 'neutral_mentions', 'negative_mentions', 'net_sentiment'];

export function socialRoutes(ctx: AppContext) {
  return new Hono()
    .get('/social/share-of-voice', async (c) => {
      const { from, to } = parseQuery(RangeQuery, c.req.query());
      const q = parseMetricsQuery({ measures: SOV_MEASURES, dimensions: ['brand'], timeRange: { start: from, end: to }, grain: 'none', comparison: 'none', sort: [{ field: 'mentions', desc: true }] });
      if (!q.success) throw new HttpError(400, q.message);
      const { result, brands } = await ctx.pool
        .use(async (conn) => ({
          result: await runMetricsQuery(conn, ctx.catalog, q.data),
          brands: await conn.all<{ brand: string; is_own: boolean }>(`SELECT brand, is_own FROM staging.stg_brands`),
        }))
        .catch(whenMartsMissing);
      const own = new Map(brands.map((b) => [b.brand, b.is_own]));
      return c.json({
        timeRange: result.timeRange,
        brands: (result.totalsByDimension ?? []).map((r) => ({
          brand: r.brand,
          is_own: own.get(String(r.brand)) ?? false,
          mentions: r.mentions,
          share_of_voice: r.share_of_voice,
          share_of_engagement: r.share_of_engagement,
          positive: r.positive_mentions,
          neutral: r.neutral_mentions,
          negative: r.negative_mentions,
          net_sentiment: r.net_sentiment,
        })),
      });
    })
    .get('/social/authors', async (c) => {
      const { role, limit, offset } = parseQuery(AuthorsQuery, c.req.query());
      const roles = role ? [role] : [...AUTHOR_ROLES];
      const principal = principalOf(c);
      const { total, items } = await ctx.pool
        .use(async (conn) => {
          const where = `a.role IN (${roles.map((_, i) => `$${i + 1}`).join(', ')})`;
          const total = Number(await conn.value(`SELECT count(*) FROM marts.social_authors a WHERE ${where}`, roles));
          const items = await conn.all(
            `SELECT a.profile_id, a.network, a.handle, a.display_name, a.followers, a.mentions, a.own_brand_mentions, a.reach, a.engagement,
                    a.positive, a.negative, a.net_sentiment, a.last_mention_at, a.role, a.is_influencer,
                    a.person_id, c.full_name AS customer_name, a.clv, a.clv_tier, a.clv_rank
             FROM marts.social_authors a LEFT JOIN marts.customer_360 c ON c.customer_id = a.person_id
             WHERE ${where}
             ORDER BY a.clv DESC NULLS LAST, a.reach DESC NULLS LAST, a.profile_id
             LIMIT $${roles.length + 1} OFFSET $${roles.length + 2}`,
            [...roles, limit, offset],
          );
          return { total, items };
        })
        .catch(whenMartsMissing);
      const masked = items.map((r) => {
        const row = maskRow(r, principal);
        if (r.person_id !== null && !seesPii(principal)) {
          row.display_name = maskField('full_name', r.display_name);
          row.handle = r.handle === null ? null : '***';
        }
        return row;
      });
      return c.json({ total, limit, offset, role: role ?? null, items: masked });
    });
}
