import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '@scrm/warehouse';
import { copySmallDb, startScrmServer } from '../setup/server.ts';

/** The HTTP API of a real `scrm serve` over the small demo. */
let server: Awaited<ReturnType<typeof startScrmServer>>;
let expected: { revenue: number; orders: number; prevRevenue: number; weeks: number };
const from = '2026-08-03';
const to = '2026-10-31';

beforeAll(async () => {
  const path = copySmallDb();
  const db = await Database.open(path, { readOnly: true });
  expected = await db.with(async (c) => ({
    revenue: (await c.value<number>(`SELECT sum(net_revenue) FROM marts.orders WHERE order_date BETWEEN DATE '${from}' AND DATE '${to}'`))!,
    orders: (await c.value<number>(`SELECT count(*) FROM marts.orders WHERE kind = 'sale' AND order_date BETWEEN DATE '${from}' AND DATE '${to}'`))!,
    prevRevenue: (await c.value<number>(`SELECT sum(net_revenue) FROM marts.orders WHERE order_date BETWEEN DATE '2026-05-05' AND DATE '2026-08-02'`))!,
    weeks: (await c.value<number>(`SELECT count(DISTINCT date_trunc('week', order_date)) FROM marts.orders WHERE order_date BETWEEN DATE '${from}' AND DATE '${to}'`))!,
  }));
  db.close();
  server = await startScrmServer(path);
});
afterAll(() => server?.stop());

const get = async (path: string) => {
  const res = await server.fetch(path);
  return { status: res.status, body: (await res.json()) as any };
};

describe('API', () => {
  it('/api/health reports the build', async () => {
    const { status, body } = await get('/api/health');
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', build: { as_of: '2026-11-01' } });
  });

  it('/api/metrics returns totals, previous-period totals and rows that equal SQL', async () => {
    const { status, body } = await get(`/api/metrics?measures=revenue,orders&from=${from}&to=${to}&grain=week`);
    expect(status).toBe(200);
    expect(body.totals.revenue).toBeCloseTo(expected.revenue, 2);
    expect(body.totals.orders).toBe(expected.orders);
    expect(body.comparisonRange).toEqual({ start: '2026-05-05', end: '2026-08-02' });
    expect(body.comparisonTotals.revenue).toBeCloseTo(expected.prevRevenue, 2);
    expect(body.rows).toHaveLength(expected.weeks);
    const sum = body.rows.reduce((s: number, r: { revenue: number }) => s + r.revenue, 0);
    expect(sum).toBeCloseTo(expected.revenue, 2);
    expect(typeof body.totals.orders).toBe('number');
  });

  it('share of voice by brand sums to one, and a brand filter gives that brand’s share', async () => {
    const byBrand = await get(`/api/metrics?measures=share_of_voice,mentions&dimensions=brand&from=${from}&to=${to}`);
    const shares = byBrand.body.totalsByDimension as { brand: string; share_of_voice: number; mentions: number }[];
    expect(shares.map((s) => s.brand).sort()).toEqual(['Faro', 'Marea', 'Oliva', 'Sendero']);
    expect(shares.reduce((s, r) => s + r.share_of_voice, 0)).toBeCloseTo(1, 10);
    const oliva = shares.find((s) => s.brand === 'Oliva')!;
    const filtered = await get(`/api/metrics?measures=share_of_voice,mentions&brand=Oliva&from=${from}&to=${to}`);
    expect(filtered.body.totals.share_of_voice).toBeCloseTo(oliva.share_of_voice, 12);
    expect(filtered.body.totals.mentions).toBe(oliva.mentions);
    const own = await get(`/api/metrics?measures=share_of_voice&from=${from}&to=${to}`);
    expect(own.body.totals.share_of_voice).toBeCloseTo(shares.find((s) => s.brand === 'Marea')!.share_of_voice, 12);
  });

  it('answers bad requests with 4xx and a message', async () => {
    const cases: [string, RegExp][] = [
      [`/api/metrics?measures=revenue&from=${from}`, /from and to/],
      [`/api/metrics?measures=profit&from=${from}&to=${to}`, /unknown measure "profit"/],
      [`/api/metrics?measures=revenue&from=2026-13-01&to=${to}`, /not a real date/],
      [`/api/metrics?measures=revenue&from=${to}&to=${from}`, /must not be after/],
      [`/api/metrics?measures=revenue&from=${from}&to=${to}&grain=hour`, /grain/],
      [`/api/metrics?measures=revenue&dimensions=brand&from=${from}&to=${to}`, /does not apply/],
      [`/api/nothing-here`, /no route GET \/api\/nothing-here/],
    ];
    for (const [path, message] of cases) {
      const { status, body } = await get(path);
      expect(status, path).toBeGreaterThanOrEqual(400);
      expect(status, path).toBeLessThan(500);
      expect(body.error.message, path).toMatch(message);
    }
    const res = await server.fetch('api/metrics/query', { method: 'POST', body: '{not json', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
  });

  it('POST /api/metrics/query takes the same contract as JSON', async () => {
    const res = await server.fetch('api/metrics/query', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ measures: ['orders'], timeRange: { start: from, end: to }, comparison: 'none' }),
    });
    const body = (await res.json()) as any;
    expect(res.status).toBe(200);
    expect(body.totals.orders).toBe(expected.orders);
    expect(body.comparisonTotals).toBeNull();
  });

  it('/api/openapi.json documents every route', async () => {
    const { body } = await get('/api/openapi.json');
    expect(body.openapi).toBe('3.1.0');
    expect(Object.keys(body.paths).sort()).toEqual([
      '/api/health', '/api/identity/review', '/api/jobs', '/api/jobs/{id}', '/api/loads', '/api/meta', '/api/metrics', '/api/metrics/query', '/api/models', '/api/models/{name}', '/api/openapi.json',
      '/api/quarantine/summary', '/api/session', '/api/session/options',
      '/api/sql', '/api/sql/schema',
      '/api/overview', '/api/social/share-of-voice', '/api/social/authors', '/api/customers', '/api/customers/{id}',
      '/api/segments', '/api/segments/{id}', '/api/segments/{id}/members', '/api/segments/{id}/export',
    ].sort());
  });

  it('serves the dashboard, with index.html for client-side routes', async () => {
    for (const path of ['', 'social']) {
      const res = await fetch(server.url + path);
      expect(res.status).toBe(200);
      expect(await res.text()).toMatch(/<html/i);
    }
  });
});
