import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database, type Connection } from '@scrm/warehouse';
import { smallDb } from '../setup/paths.ts';

/** The marts of the small demo checked against direct counts over the raw tables. */
let db: Database;
let c: Connection;
beforeAll(async () => {
  db = await Database.open(smallDb(), { readOnly: true });
  c = await db.connect();
});
afterAll(() => {
  c.close();
  db.close();
});

describe('marts over the small demo', () => {
  it('every raw entity was loaded', async () => {
    for (const t of ['customers', 'orders', 'order_lines', 'mentions', 'social_profiles', 'support_tickets', 'web_traffic_daily', 'search_volume', 'follower_counts', 'campaigns', 'brands']) {
      expect(Number(await c.value(`SELECT count(*) FROM raw.${t}`)), t).toBeGreaterThan(0);
    }
  });

  it('revenue equals order lines net of returns, cancelled orders excluded', async () => {
    const direct = await c.value<number>(`
      SELECT sum(CASE WHEN o.status = 'returned' THEN -abs(l.quantity * l.unit_price) ELSE l.quantity * l.unit_price END)
      FROM raw.order_lines l JOIN raw.orders o USING (order_id)
      WHERE o.status <> 'cancelled' AND CAST(o.ordered_at AS DATE) <= (SELECT max(date) FROM marts.kpi_daily)`);
    const mart = await c.value<number>(`SELECT sum(revenue) FROM marts.kpi_daily`);
    expect(direct).toBeGreaterThan(0);
    expect(mart).toBeCloseTo(direct, 0);
    const returns = await c.value<number>(`SELECT sum(returns) FROM marts.kpi_daily`);
    expect(returns).toBeGreaterThan(0);
  });

  it('share of voice equals mention counts per brand over the competitor set', async () => {
    const direct = await c.all<{ brand: string; sov: number }>(`
      WITH m AS (SELECT * FROM staging.stg_mentions WHERE brand IN (SELECT brand FROM raw.brands))
      SELECT brand, count(*) / (SELECT count(*) FROM m) AS sov FROM m GROUP BY brand ORDER BY brand`);
    const mart = await c.all<{ brand: string; sov: number }>(`
      SELECT brand, sum(mentions) / (SELECT sum(mentions) FROM marts.share_of_voice_daily) AS sov
      FROM marts.share_of_voice_daily GROUP BY brand ORDER BY brand`);
    expect(mart.map((r) => r.brand)).toEqual(['Faro', 'Marea', 'Oliva', 'Sendero']);
    mart.forEach((r, i) => expect(r.sov).toBeCloseTo(direct[i].sov, 12));
    // Mentions without a brand field were tagged by keywords rather than dropped.
    const untagged = await c.value<number>(`SELECT count(*) FROM raw.mentions WHERE brand IS NULL`);
    const tagged = await c.value<number>(`SELECT count(*) FROM staging.stg_mentions WHERE brand_from_keywords`);
    expect(untagged).toBeGreaterThan(0);
    expect(tagged).toBe(untagged);
  });

  it('kpi_daily counts orders and customers like marts.orders, one row per day without gaps', async () => {
    const gaps = await c.value<number>(`SELECT count(*) FROM (SELECT date - lag(date) OVER (ORDER BY date) AS step FROM marts.kpi_daily) WHERE step <> 1`);
    expect(gaps).toBe(0);
    const [kpi, orders] = await Promise.all([
      c.one(`SELECT sum(orders) AS orders, sum(new_customers) AS new_customers FROM marts.kpi_daily`),
      c.one(`SELECT count(*) FILTER (WHERE kind = 'sale') AS orders, count(DISTINCT customer_id) FILTER (WHERE kind = 'sale') AS new_customers FROM marts.orders`),
    ]);
    expect(kpi).toEqual(orders);
  });

  it('service KPIs count every ticket, and SLA attainment equals a direct count against the priority targets', async () => {
    const mart = (await c.one<{ tickets: number; met: number; due: number }>(`SELECT sum(tickets) AS tickets, sum(sla_met) AS met, sum(sla_due) AS due FROM marts.service_kpis`))!;
    const targets = { urgent: 30, high: 120, normal: 480, low: 1440 } as const;
    const tickets = await c.all<{ priority: keyof typeof targets; minutes: number | null; open_minutes: number }>(`
      SELECT priority, date_diff('second', opened_at, first_response_at) / 60.0 AS minutes,
        date_diff('second', opened_at, (SELECT max(as_of) FROM meta.builds WHERE status = 'ok')::TIMESTAMP) / 60.0 AS open_minutes
      FROM raw.support_tickets`);
    expect(mart.tickets).toBe(tickets.length);
    const met = tickets.filter((t) => t.minutes !== null && t.minutes <= targets[t.priority]).length;
    const due = tickets.filter((t) => t.minutes !== null || t.open_minutes > targets[t.priority]).length;
    expect(mart.met).toBe(met);
    expect(mart.due).toBe(due);
    expect(met / due).toBeGreaterThan(0.5);
    expect(met / due).toBeLessThan(1);
  });

  it('campaign ROI is attributed net revenue over spend, per campaign', async () => {
    const rows = await c.all<{ campaign_id: string; spend: number; attributed_revenue: number; roi: number; direct: number | null }>(`
      WITH direct AS (
        SELECT o.campaign_id, sum(CASE WHEN o.status = 'returned' THEN -abs(l.quantity * l.unit_price) ELSE l.quantity * l.unit_price END)::DOUBLE AS direct
        FROM raw.orders o JOIN raw.order_lines l USING (order_id) WHERE o.campaign_id IS NOT NULL AND o.status <> 'cancelled' GROUP BY 1)
      SELECT r.campaign_id, r.spend::DOUBLE AS spend, r.attributed_revenue::DOUBLE AS attributed_revenue, r.roi, d.direct
      FROM marts.campaign_roi r LEFT JOIN direct d USING (campaign_id)`);
    expect(rows.length).toBe(await c.value<number>(`SELECT count(*) FROM raw.campaigns`));
    const withOrders = rows.filter((r) => r.direct !== null);
    expect(withOrders.length).toBeGreaterThan(10);
    for (const r of withOrders) {
      expect(r.attributed_revenue, r.campaign_id).toBeCloseTo(r.direct!, 2);
      expect(r.roi, r.campaign_id).toBeCloseTo((r.direct! - r.spend) / r.spend, 9);
    }
  });

  it('kpi_daily carries awareness: followers, web sessions and repeat visits, search volume', async () => {
    const r = (await c.one<{ sessions: number; raw_sessions: number; repeat: number; raw_repeat: number; search: number; followers: number }>(`
      SELECT sum(web_sessions) AS sessions, (SELECT sum(sessions) FROM raw.web_traffic_daily WHERE date <= (SELECT max(date) FROM marts.kpi_daily)) AS raw_sessions,
        sum(repeat_visits) AS repeat, (SELECT sum(sessions - users) FROM raw.web_traffic_daily WHERE date <= (SELECT max(date) FROM marts.kpi_daily)) AS raw_repeat,
        sum(search_volume) AS search, max(followers) AS followers
      FROM marts.kpi_daily`))!;
    expect(r.sessions).toBe(r.raw_sessions);
    expect(r.repeat).toBe(r.raw_repeat);
    expect(r.repeat).toBeGreaterThan(0);
    expect(r.search).toBeGreaterThan(0);
    expect(r.followers).toBeGreaterThan(0);
  });

  it('guest orders are kept, without a customer', async () => {
    expect(await c.value<number>(`SELECT count(*) FROM marts.orders WHERE customer_id IS NULL AND kind = 'sale'`)).toBeGreaterThan(0);
  });

  it('the build is recorded with its as-of date and model runs, and the marts carry their docs', async () => {
    const build = await c.one(`SELECT status, as_of FROM meta.builds ORDER BY build_id DESC LIMIT 1`);
    expect(build).toEqual({ status: 'ok', as_of: '2026-11-01' });
    const doc = await c.value<string>(`SELECT comment FROM duckdb_columns() WHERE schema_name = 'marts' AND table_name = 'share_of_voice_daily' AND column_name = 'share_of_voice'`);
    expect(doc).toMatch(/mentions of all brands/);
  });
});
