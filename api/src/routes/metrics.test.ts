import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database, loadCatalog, SQL_DIR } from '@scrm/warehouse';
import { smallDb } from '../../../tests/setup/paths.ts';
import { createApp } from '../app.ts';
import { TokenBook } from '../auth.ts';
import { ConnectionPool } from '../pool.ts';

const TOKEN = 'metrics-test-token-000001';
const auth = { authorization: `Bearer ${TOKEN}` };

/** The metrics routes in process, over the small demo warehouse opened read-only. */
let db: Database;
let pool: ConnectionPool;
let app: ReturnType<typeof createApp>;
const from = '2026-08-03';
const to = '2026-10-31';

beforeAll(async () => {
  db = await Database.open(smallDb(), { readOnly: true });
  pool = new ConnectionPool(db, 2);
  app = createApp({ db, pool, catalog: loadCatalog(SQL_DIR), auth: { book: new TokenBook([{ token: TOKEN, role: 'executive', name: 'test' }]), demo: false } });
});
afterAll(() => {
  pool?.close();
  db?.close();
});

const post = async (body: unknown) => {
  const res = await app.request('/api/metrics/query', { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as any };
};
const get = async (path: string) => {
  const res = await app.request(path, { headers: auth });
  return { status: res.status, body: (await res.json()) as any };
};
const direct = (sql: string) => pool.use(async (c) => Number(await c.value(sql)));

describe('GET /api/metrics (no parameters)', () => {
  it('lists the metric views with their dimensions, measures and default grain', async () => {
    const { status, body } = await get('/api/metrics');
    expect(status).toBe(200);
    expect(body.views.map((v: any) => [v.name, v.defaultGrain])).toEqual([['awareness', 'day'], ['campaigns', 'month'], ['sales', 'week'], ['service', 'day'], ['social', 'day'], ['tickets', 'day']]);
    const sales = body.views.find((v: any) => v.name === 'sales');
    expect(sales.dimensions).toEqual([{ name: 'channel', label: 'Channel', type: 'string' }, { name: 'country', label: 'Country', type: 'string' }]);
    expect(sales.measures[0]).toEqual({ name: 'revenue', label: 'Revenue', format: 'currency', description: expect.stringMatching(/^Net revenue/), kind: 'aggregate' });
    expect(body.grains).toEqual(['day', 'week', 'month', 'quarter', 'year']);
    expect(body.comparisons).toEqual(['previous_period', 'previous_year', 'none']);
    expect(body.operators).toContain('not_in');
  });
});

describe('POST /api/metrics/query', () => {
  it('takes a filter tree, a sort and a comparison, and answers what SQL answers', async () => {
    const where = { and: [{ or: [{ dimension: 'channel', op: 'eq', value: 'web' }, { dimension: 'channel', op: 'eq', value: 'app' }] }, { dimension: 'country', op: 'not_null' }] };
    const sqlWhere = `channel IN ('web', 'app') AND country IS NOT NULL`;
    const { status, body } = await post({
      measures: ['revenue', 'orders'],
      dimensions: ['channel'],
      timeRange: { start: from, end: to },
      grain: 'none',
      where,
      sort: [{ field: 'orders', desc: true }],
      comparison: 'previous_year',
    });
    expect(status).toBe(200);
    expect(body.comparison).toBe('previous_year');
    expect(body.comparisonRange).toEqual({ start: '2025-08-03', end: '2025-10-31' });
    expect(body.totalsByDimension.map((r: any) => r.channel).sort()).toEqual(['app', 'web']);
    const [top, second] = body.totalsByDimension;
    expect(top.orders).toBeGreaterThanOrEqual(second.orders);
    const revenue = await direct(`SELECT sum(net_revenue) FROM marts.orders WHERE order_date BETWEEN DATE '${from}' AND DATE '${to}' AND ${sqlWhere}`);
    expect(top.revenue + second.revenue).toBeCloseTo(revenue, 2);
    const lastYear = await direct(`SELECT sum(net_revenue) FROM marts.orders WHERE order_date BETWEEN DATE '2025-08-03' AND DATE '2025-10-31' AND ${sqlWhere}`);
    expect(body.comparisonTotalsByDimension.reduce((s: number, r: any) => s + r.revenue, 0)).toBeCloseTo(lastYear, 2);
  });

  it('keeps answering the old shape, now with rows at the default grain', async () => {
    const { status, body } = await post({ measures: ['mentions'], timeRange: { start: from, end: to }, filters: { brand: ['Oliva'] } });
    expect(status).toBe(200);
    expect(body.grain).toBe('day');
    expect(body.rows).toHaveLength(await direct(`SELECT count(DISTINCT date) FROM marts.share_of_voice_daily WHERE brand = 'Oliva' AND date BETWEEN DATE '${from}' AND DATE '${to}'`));
    expect(body.rows.length).toBeGreaterThan(60);
    expect(body.totals.mentions).toBe(await direct(`SELECT sum(mentions) FROM marts.share_of_voice_daily WHERE brand = 'Oliva' AND date BETWEEN DATE '${from}' AND DATE '${to}'`));
  });

  it('answers invalid trees and sorts with 400 and a message that says what is wrong', async () => {
    const q = (extra: object) => ({ measures: ['revenue'], timeRange: { start: from, end: to }, ...extra });
    const cases: [object, string | RegExp][] = [
      [q({ where: { dimension: 'colour', op: 'eq', value: 'red' } }), 'unknown dimension "colour" in where; dimensions: channel (campaigns); channel, country (sales); channel (service); brand, network (social); channel, priority (tickets)'],
      [q({ where: { and: [{ dimension: 'channel', op: '=', value: 'web' }] } }), /^where.and\[0\].op: must be one of eq, neq/],
      [q({ where: { or: [{ dimension: 'channel', op: 'in' }] } }), /^where.or\[0\].values: Invalid input: expected array/],
      [q({ where: { and: [{ not: { not: { not: { not: { not: { not: { not: { not: { dimension: 'channel', op: 'is_null' } } } } } } } } }] } }), 'where: nests and / or / not more than 8 levels deep'],
      [q({ sort: [{ field: 'mentions' }] }), 'sort[0].field "mentions" is not a field of the query; sort by one of: period, revenue'],
      [q({ sort: [{ field: 'revenue', order: 'desc' }] }), /^sort\[0\]: Unrecognized key: "order"/],
      [q({ comparison: 'last_week' }), /^comparison: Invalid option/],
      [{ measures: ['revenue', 'mentions'], timeRange: { start: from, end: to }, dimensions: ['channel'] }, /dimension "channel" does not apply to mentions \(view social, dimensions: brand, network\)/],
    ];
    for (const [body, message] of cases) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.message, JSON.stringify(body)).toMatch(message);
    }
  });
});

describe('GET /api/metrics (query string)', () => {
  it('takes where as JSON and sort as a list with - for descending', async () => {
    const where = encodeURIComponent(JSON.stringify({ not: { dimension: 'network', op: 'in', values: ['x', 'tiktok'] } }));
    const { status, body } = await get(`/api/metrics?measures=mentions&dimensions=brand&from=${from}&to=${to}&grain=none&where=${where}&sort=-mentions&limit=2`);
    expect(status).toBe(200);
    expect(body.totalsByDimension).toHaveLength(2);
    const top = await pool.use((c) =>
      c.all<{ brand: string; mentions: number }>(
        `SELECT brand, sum(mentions) AS mentions FROM marts.share_of_voice_daily WHERE date BETWEEN DATE '${from}' AND DATE '${to}' AND NOT (network IN ('x', 'tiktok')) GROUP BY 1 ORDER BY 2 DESC LIMIT 2`,
      ),
    );
    expect(body.totalsByDimension).toEqual(top);
    const bad = await get(`/api/metrics?measures=mentions&from=${from}&to=${to}&where={oops`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/where must be a JSON filter tree/);
  });
});

describe('GET /api/openapi.json', () => {
  it('documents the filter tree as a component every reference resolves to', async () => {
    const { body } = await get('/api/openapi.json');
    const refs = JSON.stringify(body).match(/"\$ref":"[^"]+"/g) ?? [];
    for (const ref of new Set(refs)) {
      const name = /#\/components\/schemas\/(\w+)/.exec(ref)?.[1];
      expect(name && body.components.schemas[name], ref).toBeTruthy();
    }
    expect(body.components.schemas.MetricsQuery.properties.where).toEqual({ $ref: '#/components/schemas/FilterExpr' });
    expect(JSON.stringify(body.components.schemas.FilterExpr)).toContain('"not_in"');
  });
});
