import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database, type Connection } from '@scrm/warehouse';
import { copySmallDb, startScrmServer, type Role } from '../setup/server.ts';

/**
 * The overview, social and customer routes of a real `scrm serve` over the small demo, against SQL run on the same
 * file before the server opened it (the server then holds it).
 */
let server: Awaited<ReturnType<typeof startScrmServer>>;
const from = '2026-08-03';
const to = '2026-10-31';
const prevFrom = '2026-05-05';
const prevTo = '2026-08-02';

type Row = Record<string, any>;
let sql: {
  overview: Row;
  previous: Row;
  sov: Row[];
  detractors: { total: number; linked: Row };
  madrid: { total: number; topByRevenue: string[] };
  person: Row;
  counts: { order: number; mention: number; ticket: number };
  newest: string;
  profiles: Row[];
};

const kpisSql = (c: Connection, a: string, b: string) =>
  c.one(
    `WITH o AS (SELECT * FROM marts.orders WHERE order_date BETWEEN DATE '${a}' AND DATE '${b}'),
     active AS (SELECT DISTINCT customer_id FROM o WHERE kind = 'sale' AND customer_id IS NOT NULL)
     SELECT (SELECT sum(net_revenue) FROM o) AS revenue,
            (SELECT count(*) FROM o WHERE kind = 'sale') AS orders,
            (SELECT count(*) FROM active) AS active_customers,
            (SELECT count(DISTINCT o.customer_id) FROM o JOIN marts.customer_360 c USING (customer_id)
              WHERE o.kind = 'sale' AND o.order_date > c.first_order_date) AS repeat_customers,
            (SELECT avg(s.clv) FROM active JOIN marts.customer_segments s USING (customer_id)) AS avg_clv,
            (SELECT sum(mentions) FROM marts.share_of_voice_daily WHERE is_own AND date BETWEEN DATE '${a}' AND DATE '${b}') AS mentions,
            (SELECT median(first_response_minutes) FROM staging.stg_support_tickets WHERE opened_date BETWEEN DATE '${a}' AND DATE '${b}') AS median_first_response`,
  );

beforeAll(async () => {
  const path = copySmallDb();
  const db = await Database.open(path, { readOnly: true });
  sql = await db.with(async (c) => {
    // A customer with orders, mentions and tickets, to see every kind on the timeline.
    const id = await c.value<string>(`SELECT customer_id FROM marts.customer_360 WHERE tickets > 0 AND mentions > 0 AND orders > 1 ORDER BY customer_id LIMIT 1`);
    const count = (q: string) => c.value<number>(q, [id]).then(Number);
    const linked = (await c.one(
      `SELECT a.profile_id, a.display_name FROM marts.social_authors a WHERE a.role = 'detractor' AND a.person_id IS NOT NULL ORDER BY a.clv DESC NULLS LAST, a.reach DESC, a.profile_id LIMIT 1`,
    ))!;
    return {
      overview: (await kpisSql(c, from, to))!,
      previous: (await kpisSql(c, prevFrom, prevTo))!,
      sov: await c.all(
        `SELECT brand, sum(mentions) AS mentions, sum(positive) AS positive, sum(negative) AS negative FROM marts.share_of_voice_daily
         WHERE date BETWEEN DATE '${from}' AND DATE '${to}' GROUP BY brand ORDER BY brand`,
      ),
      detractors: { total: Number(await c.value(`SELECT count(*) FROM marts.social_authors WHERE role = 'detractor'`)), linked },
      madrid: {
        total: Number(await c.value(`SELECT count(*) FROM marts.customer_360 WHERE lower(city) LIKE '%madrid%' OR lower(full_name) LIKE '%madrid%' OR lower(email) LIKE '%madrid%' OR customer_id LIKE 'madrid%'`)),
        topByRevenue: (await c.all<{ customer_id: string }>(`SELECT customer_id FROM marts.customer_360 WHERE lower(city) LIKE '%madrid%' OR lower(full_name) LIKE '%madrid%' OR lower(email) LIKE '%madrid%' ORDER BY revenue DESC, customer_id LIMIT 5`)).map((r) => r.customer_id),
      },
      person: (await c.one(`SELECT * FROM marts.customer_360 WHERE customer_id = $1`, [id]))!,
      counts: {
        order: await count(`SELECT count(*) FROM marts.orders WHERE customer_id = $1`),
        mention: await count(`SELECT count(*) FROM marts.mentions_scored WHERE person_id = $1`),
        ticket: await count(`SELECT count(*) FROM staging.stg_support_tickets WHERE customer_id = $1`),
      },
      newest: (await c.value<string>(
        `SELECT max(t) FROM (SELECT coalesce(ordered_at, CAST(order_date AS TIMESTAMP)) AS t FROM marts.orders WHERE customer_id = $1
         UNION ALL SELECT posted_at FROM marts.mentions_scored WHERE person_id = $1 UNION ALL SELECT opened_at FROM staging.stg_support_tickets WHERE customer_id = $1)`,
        [id],
      ))!,
      profiles: await c.all(`SELECT l.profile_id, p.display_name FROM marts.identity_links l JOIN staging.stg_social_profiles p USING (profile_id) WHERE l.record_type = 'social_profile' AND l.person_id = $1 ORDER BY l.network, l.profile_id`, [id]),
    };
  });
  db.close();
  server = await startScrmServer(path);
});
afterAll(() => server?.stop());

const get = async (path: string, role: Role = 'admin') => {
  const res = await server.fetch(path, {}, role);
  return { status: res.status, body: (await res.json()) as any };
};

describe('GET /api/overview', () => {
  it('answers every KPI with its previous-period value and change, as SQL computes them', async () => {
    const { status, body } = await get(`api/overview?from=${from}&to=${to}`, 'executive');
    expect(status).toBe(200);
    expect(body.comparisonRange).toEqual({ start: prevFrom, end: prevTo });
    const kpi = Object.fromEntries(body.kpis.map((k: any) => [k.name, k]));
    expect(Object.keys(kpi)).toEqual(['revenue', 'orders', 'active_customers', 'repeat_customers', 'aov', 'avg_clv', 'share_of_voice', 'net_sentiment', 'mentions', 'median_first_response', 'campaign_roi']);
    for (const name of ['revenue', 'orders', 'active_customers', 'repeat_customers', 'avg_clv', 'mentions', 'median_first_response']) {
      expect(kpi[name].value, name).toBeCloseTo(Number(sql.overview[name]), 6);
      expect(kpi[name].previous, name).toBeCloseTo(Number(sql.previous[name]), 6);
      expect(kpi[name].change, name).toBeCloseTo(Number(sql.overview[name]) - Number(sql.previous[name]), 6);
    }
    expect(kpi.repeat_customers.value).toBeGreaterThan(0);
    expect(kpi.repeat_customers.value).toBeLessThan(kpi.active_customers.value);
    expect(kpi.revenue.changeRatio).toBeCloseTo((sql.overview.revenue - sql.previous.revenue) / Math.abs(sql.previous.revenue), 10);
    expect(kpi.share_of_voice.value).toBeGreaterThan(0);
    expect(kpi.share_of_voice.value).toBeLessThan(1);
  });

  it('says what is wrong with the range', async () => {
    for (const [q, message] of [
      ['from=2026-08-03', /to: Invalid input/],
      [`from=${to}&to=${from}`, /from must not be after to/],
      [`from=2026-02-30&to=${to}`, /from: is not a real date/],
    ] as const) {
      const { status, body } = await get(`api/overview?${q}`, 'executive');
      expect(status, q).toBe(400);
      expect(body.error.message, q).toMatch(message);
    }
  });
});

describe('social routes', () => {
  it('GET /api/social/share-of-voice: every brand with its share and sentiment counts', async () => {
    const { status, body } = await get(`api/social/share-of-voice?from=${from}&to=${to}`, 'executive');
    expect(status).toBe(200);
    const brands = [...body.brands].sort((a: any, b: any) => a.brand.localeCompare(b.brand));
    expect(brands.map((b: any) => [b.brand, b.mentions, b.positive, b.negative])).toEqual(sql.sov.map((r) => [r.brand, r.mentions, r.positive, r.negative]));
    const total = sql.sov.reduce((s, r) => s + r.mentions, 0);
    for (const b of brands) expect(b.share_of_voice).toBeCloseTo(b.mentions / total, 12);
    expect(body.brands.filter((b: any) => b.is_own).map((b: any) => b.brand)).toEqual(['Marea']);
  });

  it('GET /api/social/authors: detractors ranked by CLV, linked customers masked but for admins', async () => {
    const analyst = await get('api/social/authors?role=detractor&limit=5', 'analyst');
    expect(analyst.status).toBe(200);
    expect(analyst.body.total).toBe(sql.detractors.total);
    expect(analyst.body.items).toHaveLength(5);
    expect(analyst.body.items.every((a: any) => a.role === 'detractor')).toBe(true);
    const clvs = analyst.body.items.map((a: any) => a.clv).filter((v: any) => v !== null);
    expect(clvs).toEqual([...clvs].sort((a, b) => b - a));
    const first = analyst.body.items[0];
    expect(first.profile_id).toBe(sql.detractors.linked.profile_id);
    expect(first.display_name).not.toBe(sql.detractors.linked.display_name);
    expect(first.handle).toBe('***');
    const admin = await get('api/social/authors?role=detractor&limit=5', 'admin');
    expect(admin.body.items[0].display_name).toBe(sql.detractors.linked.display_name);
    const bad = await get('api/social/authors?role=fan', 'analyst');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^role: Invalid option/);
  });
});

describe('GET /api/customers', () => {
  it('searches by name, e-mail or city, sorts by an allowed column and counts the matches', async () => {
    const { status, body } = await get('api/customers?q=Madrid&sort=revenue&desc=true&limit=5', 'admin');
    expect(status).toBe(200);
    expect(body.total).toBe(sql.madrid.total);
    expect(body.items.map((r: any) => r.customer_id)).toEqual(sql.madrid.topByRevenue);
    const page2 = await get('api/customers?q=Madrid&sort=revenue&desc=true&limit=5&offset=5', 'admin');
    expect(page2.body.items.map((r: any) => r.customer_id).some((id: string) => sql.madrid.topByRevenue.includes(id))).toBe(false);
    const byId = await get(`api/customers?q=${sql.person.customer_id}`, 'analyst');
    expect(byId.body.items.map((r: any) => r.customer_id)).toContain(sql.person.customer_id);
  });

  it('masks personal data for analysts and marketing, not for admins', async () => {
    const q = `api/customers?q=${sql.person.customer_id}&limit=1`;
    for (const role of ['analyst', 'marketing'] as const) {
      const [row] = (await get(q, role)).body.items;
      expect(row.customer_id).toBe(sql.person.customer_id);
      expect(row.email, role).not.toBe(sql.person.email);
      expect(row.email, role).toMatch(/^.\*\*\*@/);
      expect(row.full_name, role).not.toBe(sql.person.full_name);
    }
    const [row] = (await get(q, 'admin')).body.items;
    expect([row.email, row.full_name]).toEqual([sql.person.email, sql.person.full_name]);
  });

  it('refuses executives, unknown sorts and bad pages', async () => {
    const cases: [string, Role, number, RegExp][] = [
      ['api/customers', 'executive', 403, /customer data is for analyst, marketing, admin; you are signed in as executive/],
      ['api/customers?sort=email', 'admin', 400, /^sort: Invalid option/],
      ['api/customers?limit=0', 'admin', 400, /^limit: Too small/],
      ['api/customers?desc=maybe', 'admin', 400, /^desc: Invalid option/],
    ];
    for (const [path, role, status, message] of cases) {
      const res = await get(path, role);
      expect(res.status, path).toBe(status);
      expect(res.body.error.message, path).toMatch(message);
    }
  });
});

describe('GET /api/customers/{id}', () => {
  it('is the customer 360: profile, consent, CLV, segments, profiles and one timeline, as in SQL', async () => {
    const p = sql.person;
    const { status, body } = await get(`api/customers/${p.customer_id}?limit=500`, 'admin');
    expect(status).toBe(200);
    expect(body.profile.email).toBe(p.email);
    expect(body.consent.marketing_consent).toBe(p.marketing_consent);
    expect(body.clv).toEqual({ historical: p.historical_clv, predicted_12m: p.predicted_clv_12m, p_alive: p.p_alive, tier: p.clv_tier });
    expect(body.segments.map((s: any) => s.id)).toEqual(
      expect.arrayContaining([`tier-${p.clv_tier}`, `frequency-${p.frequency_segment.replace('_', '-')}`]),
    );
    expect(body.segments.find((s: any) => s.kind === 'rfm').name).toBe(`RFM: ${p.rfm_segment}`);
    expect(body.social.profiles.map((x: any) => [x.profile_id, x.display_name])).toEqual(sql.profiles.map((x) => [x.profile_id, x.display_name]));
    const t = body.timeline;
    expect(t.counts).toEqual(sql.counts);
    expect(t.total).toBe(sql.counts.order + sql.counts.mention + sql.counts.ticket);
    expect(t.items).toHaveLength(t.total);
    for (const kind of ['order', 'mention', 'ticket']) expect(t.items.filter((i: any) => i.kind === kind), kind).toHaveLength((sql.counts as any)[kind]);
    expect(t.items[0].at).toBe(sql.newest);
    const times = t.items.map((i: any) => i.at);
    expect(times).toEqual([...times].sort().reverse());
    const order = t.items.find((i: any) => i.kind === 'order');
    expect(Object.keys(order.order)).toEqual(expect.arrayContaining(['kind', 'status', 'net_revenue']));
    expect(Object.keys(t.items.find((i: any) => i.kind === 'ticket').ticket)).toEqual(expect.arrayContaining(['priority', 'first_response_minutes', 'csat']));
    expect(Object.keys(t.items.find((i: any) => i.kind === 'mention').mention)).toEqual(expect.arrayContaining(['brand', 'sentiment_label', 'text']));
  });

  it('pages the timeline and masks PII but for admins', async () => {
    const p = sql.person;
    const a = await get(`api/customers/${p.customer_id}?limit=3`, 'marketing');
    const b = await get(`api/customers/${p.customer_id}?limit=3&offset=3`, 'marketing');
    expect(a.body.timeline.items).toHaveLength(3);
    expect(b.body.timeline.items[0].at <= a.body.timeline.items[2].at).toBe(true);
    expect(a.body.timeline.items.map((i: any) => i.id)).not.toContain(b.body.timeline.items[0].id);
    for (const res of [a, await get(`api/customers/${p.customer_id}`, 'analyst')]) {
      expect(res.body.profile.email).not.toBe(p.email);
      expect(res.body.profile.last_name).not.toBe(p.last_name);
      if (p.phone) expect(res.body.profile.phone).toMatch(/^\*\*\*/);
      for (const x of res.body.social.profiles) if (x.display_name) expect(sql.profiles.map((y) => y.display_name)).not.toContain(x.display_name);
    }
  });

  it('answers 404 for an unknown id and 400 for a bad page', async () => {
    const missing = await get('api/customers/no-such-customer', 'analyst');
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe('no customer "no-such-customer"; search with GET /api/customers?q=');
    const bad = await get(`api/customers/${sql.person.customer_id}?limit=100000`, 'analyst');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^limit: Too big/);
    expect((await get(`api/customers/${sql.person.customer_id}`, 'executive')).status).toBe(403);
  });
});
