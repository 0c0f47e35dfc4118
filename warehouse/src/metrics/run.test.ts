import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smallDb } from '../../../tests/setup/paths.ts';
import { Database, type Connection } from '../db/duckdb.ts';
import { SQL_DIR } from '../paths.ts';
import { loadCatalog } from './definitions.ts';
import { MetricsQuerySchema, type MetricsQueryInput } from './query.ts';
import { runMetricsQuery } from './run.ts';

/** MetricsQueries run on the small demo warehouse must give what direct SQL over the marts gives. */
const catalog = loadCatalog(SQL_DIR);
let db: Database;
let conn: Connection;
const range = { start: '2026-05-01', end: '2026-10-31' };
const between = (col: string, r = range) => `${col} BETWEEN DATE '${r.start}' AND DATE '${r.end}'`;

beforeAll(async () => {
  db = await Database.open(smallDb(), { readOnly: true });
  conn = await db.connect();
});
afterAll(() => {
  conn?.close();
  db?.close();
});

const run = (input: Omit<MetricsQueryInput, 'timeRange'> & { timeRange?: MetricsQueryInput['timeRange'] }) =>
  runMetricsQuery(conn, catalog, MetricsQuerySchema.parse({ timeRange: range, comparison: 'none', ...input }));
const value = async (sql: string) => Number(await conn.value(sql));

describe('metrics on DuckDB: filter trees', () => {
  it('revenue and orders under an and / or / not tree equal a direct SUM with the same WHERE', async () => {
    const channels = (await conn.all<{ channel: string }>(`SELECT DISTINCT channel FROM marts.orders WHERE channel IS NOT NULL ORDER BY 1`)).map((r) => r.channel);
    const country = await conn.value<string>(`SELECT country FROM marts.orders WHERE country IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`);
    expect(channels.length).toBeGreaterThanOrEqual(3);
    const where = {
      and: [
        { or: [{ dimension: 'channel', op: 'eq' as const, value: channels[0] }, { dimension: 'channel', op: 'in' as const, values: channels.slice(1, 3) }] },
        { not: { dimension: 'country', op: 'eq' as const, value: country! } },
        { dimension: 'country', op: 'not_null' as const },
      ],
    };
    const sqlWhere = `(channel = '${channels[0]}' OR channel IN ('${channels[1]}', '${channels[2]}')) AND NOT (country = '${country}') AND country IS NOT NULL`;
    const r = await run({ measures: ['revenue', 'orders'], where, grain: 'month' });
    const revenue = await value(`SELECT sum(net_revenue) FROM marts.orders WHERE ${between('order_date')} AND ${sqlWhere}`);
    const orders = await value(`SELECT count(*) FROM marts.orders WHERE kind = 'sale' AND ${between('order_date')} AND ${sqlWhere}`);
    const unfiltered = await value(`SELECT sum(net_revenue) FROM marts.orders WHERE ${between('order_date')}`);
    expect(revenue).toBeGreaterThan(0);
    expect(revenue).toBeLessThan(unfiltered);
    expect(r.totals!.revenue).toBeCloseTo(revenue, 2);
    expect(r.totals!.orders).toBe(orders);
    expect(r.rows).toHaveLength(6);
    expect(r.rows.reduce((s, row) => s + Number(row.revenue), 0)).toBeCloseTo(revenue, 2);
  });

  it('like, not_in and is_null follow SQL (NULLs match only is_null)', async () => {
    const r = await run({ measures: ['orders'], grain: 'none', where: { or: [{ dimension: 'channel', op: 'like', value: 'w%' }, { dimension: 'country', op: 'is_null' }] } });
    expect(r.totals!.orders).toBe(await value(`SELECT count(*) FROM marts.orders WHERE kind = 'sale' AND ${between('order_date')} AND (channel LIKE 'w%' OR country IS NULL)`));
    const n = await run({ measures: ['orders'], grain: 'none', where: { dimension: 'channel', op: 'not_in', values: ['web'] } });
    expect(n.totals!.orders).toBe(await value(`SELECT count(*) FROM marts.orders WHERE kind = 'sale' AND ${between('order_date')} AND channel NOT IN ('web')`));
  });

  it('a value that looks like SQL is only a value', async () => {
    const r = await run({ measures: ['revenue'], grain: 'none', where: { dimension: 'channel', op: 'eq', value: "web' OR '1'='1" } });
    expect(r.totals!.revenue).toBeNull();
  });

  it('share of voice under conditions on the focus and on other dimensions equals direct SQL', async () => {
    const r = await run({
      measures: ['share_of_voice', 'mentions'],
      grain: 'none',
      where: { and: [{ dimension: 'brand', op: 'in', values: ['Oliva', 'Faro'] }, { not: { dimension: 'network', op: 'eq', value: 'x' } }] },
    });
    const rows = `FROM marts.share_of_voice_daily WHERE ${between('date')} AND NOT (network = 'x')`;
    const mentions = await value(`SELECT sum(mentions) FILTER (WHERE brand IN ('Oliva', 'Faro')) ${rows}`);
    const all = await value(`SELECT sum(mentions) ${rows}`);
    expect(mentions).toBeGreaterThan(0);
    expect(mentions).toBeLessThan(all);
    expect(r.totals!.mentions).toBe(mentions);
    expect(r.totals!.share_of_voice).toBeCloseTo(mentions / all, 12);
  });

  it('with brand as a dimension, a focus condition drops rows but not their share of the total', async () => {
    const r = await run({ measures: ['share_of_voice'], dimensions: ['brand'], grain: 'none', where: { dimension: 'brand', op: 'neq', value: 'Marea' } });
    const byBrand = await conn.all<{ brand: string; share: number }>(
      `SELECT brand, sum(mentions) / sum(sum(mentions)) OVER () AS share FROM marts.share_of_voice_daily WHERE ${between('date')} GROUP BY brand ORDER BY brand`,
    );
    expect(r.totalsByDimension!.map((x) => x.brand)).toEqual(byBrand.filter((b) => b.brand !== 'Marea').map((b) => b.brand));
    for (const row of r.totalsByDimension!) expect(row.share_of_voice).toBeCloseTo(byBrand.find((b) => b.brand === row.brand)!.share, 12);
  });

  it('a condition on a dimension a view lacks leaves that view alone, and says so', async () => {
    const r = await run({ measures: ['revenue', 'mentions'], grain: 'none', where: { dimension: 'network', op: 'eq', value: 'x' } });
    expect(r.totals!.revenue).toBeCloseTo(await value(`SELECT sum(net_revenue) FROM marts.orders WHERE ${between('order_date')}`), 2);
    expect(r.totals!.mentions).toBe(await value(`SELECT sum(mentions) FROM marts.share_of_voice_daily WHERE is_own AND network = 'x' AND ${between('date')}`));
    expect(r.measures.map((m) => [m.name, m.unappliedFilters])).toEqual([['revenue', ['network']], ['mentions', []]]);
  });
});

describe('metrics on DuckDB: grains, sort, limit', () => {
  it('rows at the default grain, and by quarter, equal a direct GROUP BY', async () => {
    const weekly = await run({ measures: ['revenue'] });
    expect(weekly.grain).toBe('week');
    expect(weekly.rows).toHaveLength(await value(`SELECT count(DISTINCT date_trunc('week', order_date)) FROM marts.orders WHERE ${between('order_date')}`));
    const quarterly = await run({ measures: ['revenue', 'orders'], grain: 'quarter', timeRange: { start: '2025-01-01', end: '2026-09-30' } });
    const direct = await conn.all<{ period: string; revenue: number }>(
      `SELECT CAST(date_trunc('quarter', order_date) AS DATE) AS period, sum(net_revenue) AS revenue FROM marts.orders
       WHERE order_date BETWEEN DATE '2025-01-01' AND DATE '2026-09-30' GROUP BY 1 ORDER BY 1`,
    );
    expect(quarterly.rows.map((r) => r.period)).toEqual(direct.map((r) => r.period));
    quarterly.rows.forEach((r, i) => expect(r.revenue).toBeCloseTo(Number(direct[i].revenue), 2));
  });

  it('sorts by a measure and keeps the top rows, as ORDER BY … LIMIT does', async () => {
    const r = await run({ measures: ['revenue', 'orders'], dimensions: ['channel'], sort: [{ field: 'revenue', desc: true }], limit: 2, grain: 'none' });
    const direct = await conn.all<{ channel: string; revenue: number }>(
      `SELECT channel, sum(net_revenue) AS revenue FROM marts.orders WHERE ${between('order_date')} GROUP BY 1 ORDER BY 2 DESC LIMIT 2`,
    );
    expect(r.totalsByDimension!.map((x) => x.channel)).toEqual(direct.map((d) => d.channel));
  });

  it('sorts a query over two views by one view’s measure after merging them', async () => {
    const r = await run({ measures: ['revenue', 'mentions'], grain: 'week', sort: [{ field: 'mentions', desc: true }], limit: 3 });
    const direct = await conn.all<{ period: string; mentions: number }>(
      `SELECT CAST(date_trunc('week', date) AS DATE) AS period, sum(mentions) AS mentions FROM marts.share_of_voice_daily
       WHERE is_own AND ${between('date')} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 3`,
    );
    expect(r.rows.map((x) => [x.period, x.mentions])).toEqual(direct.map((d) => [d.period, Number(d.mentions)]));
    for (const row of r.rows) {
      const weekEnd = new Date(Date.parse(String(row.period)) + 6 * 86_400_000).toISOString().slice(0, 10);
      const end = weekEnd > range.end ? range.end : weekEnd;
      const from = String(row.period) < range.start ? range.start : String(row.period);
      expect(row.revenue).toBeCloseTo(await value(`SELECT sum(net_revenue) FROM marts.orders WHERE order_date BETWEEN DATE '${from}' AND DATE '${end}'`), 2);
    }
  });
});

describe('metrics on DuckDB: comparisons', () => {
  it('previous_year compares with the same dates a year earlier', async () => {
    const r = await run({ measures: ['revenue', 'mentions'], grain: 'month', comparison: 'previous_year' });
    expect(r.comparisonRange).toEqual({ start: '2025-05-01', end: '2025-10-31' });
    const lastYear = { start: '2025-05-01', end: '2025-10-31' };
    expect(r.comparisonTotals!.revenue).toBeCloseTo(await value(`SELECT sum(net_revenue) FROM marts.orders WHERE ${between('order_date', lastYear)}`), 2);
    expect(r.comparisonTotals!.mentions).toBe(await value(`SELECT sum(mentions) FROM marts.share_of_voice_daily WHERE is_own AND ${between('date', lastYear)}`));
    expect(r.comparisonRows!.map((x) => x.period)).toEqual(['2025-05-01', '2025-06-01', '2025-07-01', '2025-08-01', '2025-09-01', '2025-10-01']);
  });

  it('previous_period is as many days right before; none runs no comparison', async () => {
    const r = await run({ measures: ['orders'], grain: 'none', comparison: 'previous_period' });
    expect(r.comparisonRange).toEqual({ start: '2025-10-29', end: '2026-04-30' });
    expect(r.comparisonTotals!.orders).toBe(await value(`SELECT count(*) FROM marts.orders WHERE kind = 'sale' AND ${between('order_date', r.comparisonRange!)}`));
    const none = await run({ measures: ['orders'], grain: 'none' });
    expect(none.comparisonRange).toBeNull();
    expect(none.comparisonTotals).toBeNull();
  });
});
