import { Hono } from 'hono';
import { z } from 'zod';
import type { Connection } from '@scrm/warehouse';
import { allSegments, memberships, segmentColumns } from '@scrm/warehouse/segments/index';
import { allow, principalOf, seesPii, type Principal } from '../auth.ts';
import type { AppContext } from '../context.ts';
import { HttpError, whenMartsMissing } from '../errors.ts';
import { maskField, maskRow } from '../pii.ts';
import { parseQuery } from '../validate.ts';

/**
 * Customers from marts.customer_360: a searchable, sortable list, and one person's 360 — profile, consent, CLV,
 * segments, linked social profiles and one timeline of their orders, mentions and tickets. For analysts,
 * marketing and admins; personal data is masked for all but admins.
 */
export const CUSTOMER_SORTS = [
  'customer_id', 'full_name', 'city', 'country', 'created_at', 'orders', 'revenue', 'last_order_date', 'recency_days',
  'historical_clv', 'predicted_clv_12m', 'p_alive', 'mentions', 'tickets',
] as const;

const LIST_COLUMNS = [
  'customer_id', 'full_name', 'email', 'phone', 'city', 'country', 'marketing_consent', 'orders', 'revenue', 'last_order_date',
  'rfm_segment', 'frequency_segment', 'clv_tier', 'historical_clv', 'predicted_clv_12m', 'p_alive', 'advocacy_role',
];

const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const ListQuery = z.object({
  q: z.string().trim().max(200).optional(),
  sort: z.enum(CUSTOMER_SORTS).default('customer_id'),
  desc: flag.default(false),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

const DetailQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

export const TIMELINE_KINDS = ['order', 'mention', 'ticket'] as const;

/** Every timeline item of a person, newest first: `detail` is a JSON object whose fields depend on the kind. */
const TIMELINE = `
  WITH items AS (
    SELECT 'order' AS kind, order_id AS id, coalesce(ordered_at, CAST(order_date AS TIMESTAMP)) AS occurred_at, channel,
      json_object('kind', kind, 'status', status, 'gross_revenue', gross_revenue, 'returns', returns, 'net_revenue', net_revenue,
        'line_count', line_count, 'campaign_id', campaign_id, 'store_id', store_id) AS detail
    FROM marts.orders WHERE customer_id = $1
    UNION ALL
    SELECT 'mention', mention_id, posted_at, network,
      json_object('brand', brand, 'is_own_brand', is_own_brand, 'text', text, 'sentiment_label', sentiment_label,
        'sentiment_score', sentiment_score, 'engagement', engagement, 'reach', reach, 'url', url, 'profile_id', profile_id)
    FROM marts.mentions_scored WHERE person_id = $1
    UNION ALL
    SELECT 'ticket', ticket_id, opened_at, channel,
      json_object('status', status, 'priority', priority, 'first_response_minutes', first_response_minutes,
        'resolution_minutes', resolution_minutes, 'resolved_at', resolved_at, 'csat', csat)
    FROM staging.stg_support_tickets WHERE customer_id = $1
  )`;

async function timeline(conn: Connection, id: string, page: { limit: number; offset: number }) {
  const counts = await conn.all<{ kind: string; n: number }>(`${TIMELINE} SELECT kind, count(*) AS n FROM items GROUP BY kind`, [id]);
  const rows = await conn.all<{ kind: string; id: string; at: string; channel: string | null; detail: string }>(
    `${TIMELINE} SELECT kind, id, occurred_at AS "at", channel, CAST(detail AS VARCHAR) AS detail FROM items ORDER BY occurred_at DESC, kind, id LIMIT $2 OFFSET $3`,
    [id, page.limit, page.offset],
  );
  const byKind = Object.fromEntries(TIMELINE_KINDS.map((k) => [k, counts.find((x) => x.kind === k)?.n ?? 0]));
  return {
    total: counts.reduce((s, x) => s + x.n, 0),
    counts: byKind,
    limit: page.limit,
    offset: page.offset,
    items: rows.map((r) => ({ kind: r.kind, id: r.id, at: r.at, channel: r.channel, [r.kind]: JSON.parse(r.detail) })),
  };
}

const pick = (row: Record<string, unknown>, keys: string[]) => Object.fromEntries(keys.map((k) => [k, row[k] ?? null]));

/** One person's 360 (the work of GET /customers/{id}; pnpm bench api times it directly too). */
export async function customer360(conn: Connection, id: string, page: { limit: number; offset: number }, principal: Principal) {
  const row = await conn.one(`SELECT * FROM marts.customer_360 WHERE customer_id = $1`, [id]);
  if (!row) throw new HttpError(404, `no customer "${id}"; search with GET /api/customers?q=`);
  const profiles = await conn.all(
    `SELECT l.profile_id, l.network, l.method, l.confidence, p.handle, p.display_name, p.followers,
            a.role, a.mentions, a.own_brand_mentions, a.net_sentiment, a.last_mention_at
     FROM marts.identity_links l
     JOIN staging.stg_social_profiles p ON p.profile_id = l.profile_id
     LEFT JOIN marts.social_authors a ON a.profile_id = l.profile_id
     WHERE l.record_type = 'social_profile' AND l.person_id = $1
     ORDER BY l.network, l.profile_id`,
    [id],
  );
  const columns = await segmentColumns(conn);
  const segments = await memberships(conn, id, await allSegments(conn), columns);
  const mask = !seesPii(principal);
  return {
    customer_id: row.customer_id,
    person_id: row.person_id,
    profile: maskRow(pick(row, ['first_name', 'last_name', 'full_name', 'email', 'phone', 'loyalty_id', 'gender', 'birth_date', 'city', 'region', 'country', 'created_at', 'tenure_days']), principal),
    consent: pick(row, ['marketing_consent', 'consent_updated_at']),
    purchases: pick(row, ['orders', 'revenue', 'returns', 'aov', 'first_order_date', 'last_order_date', 'recency_days', 'orders_12m', 'interests']),
    rfm: pick(row, ['r_score', 'f_score', 'm_score', 'rfm_segment', 'frequency_segment', 'seasonal_peak_month']),
    clv: { historical: row.historical_clv, predicted_12m: row.predicted_clv_12m, p_alive: row.p_alive, tier: row.clv_tier },
    segments: segments.map((s) => ({ id: s.id, name: s.name, kind: s.kind })),
    social: {
      ...pick(row, ['linked_profiles', 'networks', 'social_followers', 'mentions', 'own_brand_mentions', 'net_sentiment', 'advocacy_role']),
      profiles: profiles.map((p) => (mask ? { ...p, display_name: maskField('full_name', p.display_name), handle: p.handle === null ? null : '***' } : p)),
    },
    service: pick(row, ['tickets', 'open_tickets', 'csat_avg']),
    timeline: await timeline(conn, id, page),
  };
}

/** A page of the customer list, searched and sorted (the work of GET /customers; pnpm bench api times it directly too). */
export async function customerList(conn: Connection, { q, sort, desc, limit, offset }: z.output<typeof ListQuery>) {
  const search = q ? `WHERE starts_with(customer_id, $1) OR contains(lower(full_name), lower($1)) OR contains(lower(email), lower($1)) OR contains(lower(city), lower($1))` : '';
  const params = q ? [q] : [];
  const n = params.length;
  return {
    total: Number(await conn.value(`SELECT count(*) FROM marts.customer_360 ${search}`, params)),
    // `sort` is one of CUSTOMER_SORTS (checked by the schema), never the request's text.
    items: await conn.all(
      `SELECT ${LIST_COLUMNS.join(', ')} FROM marts.customer_360 ${search}
       ORDER BY ${sort} ${desc ? 'DESC' : 'ASC'} NULLS LAST, customer_id LIMIT $${n + 1} OFFSET $${n + 2}`,
      [...params, limit, offset],
    ),
  };
}

export function customerRoutes(ctx: AppContext) {
  const auth = allow(['analyst', 'marketing', 'admin'], 'customer data');
  return new Hono()
    .use('/customers', auth)
    .use('/customers/*', auth)
    .get('/customers', async (c) => {
      const query = parseQuery(ListQuery, c.req.query());
      const principal = principalOf(c);
      const { total, items } = await ctx.pool.use((conn) => customerList(conn, query)).catch(whenMartsMissing);
      const { limit, offset, sort, desc } = query;
      return c.json({ total, limit, offset, sort, desc, items: items.map((r) => maskRow(r, principal)) });
    })
    .get('/customers/:id', async (c) => {
      const id = c.req.param('id');
      if (id.length > 100) throw new HttpError(400, 'a customer id has at most 100 characters');
      const page = parseQuery(DetailQuery, c.req.query());
      const principal = principalOf(c);
      return c.json(await ctx.pool.use((conn) => customer360(conn, id, page, principal)).catch(whenMartsMissing));
    });
}
