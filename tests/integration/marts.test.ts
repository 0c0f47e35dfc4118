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
