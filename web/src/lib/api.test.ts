import { afterEach, describe, expect, it, vi } from 'vitest';
import { getMetrics, metricsSearchParams, type MetricsQuery } from './api';

const query: MetricsQuery = {
  measures: ['revenue', 'orders'],
  timeRange: { start: '2026-08-03', end: '2026-10-31' },
  grain: 'week',
  dimensions: ['brand'],
  filters: { brand: ['Marea'], network: ['x', 'instagram'] },
  comparison: 'previous_period',
};

describe('metricsSearchParams', () => {
  it('writes the query string form of the MetricsQuery contract', () => {
    expect(metricsSearchParams(query).toString()).toBe(
      'measures=revenue%2Corders&from=2026-08-03&to=2026-10-31&grain=week&dimensions=brand&brand=Marea&network=x%2Cinstagram&comparison=previous_period',
    );
  });
  it('leaves out what was not asked for', () => {
    expect(metricsSearchParams({ measures: ['mentions'], timeRange: { start: '2026-01-01', end: '2026-01-31' } }).toString()).toBe(
      'measures=mentions&from=2026-01-01&to=2026-01-31',
    );
  });
  it('writes a filter tree as JSON and the sort with - for descending', () => {
    const p = metricsSearchParams({
      measures: ['revenue'],
      timeRange: { start: '2026-01-01', end: '2026-01-31' },
      where: { not: { dimension: 'channel', op: 'in', values: ['web'] } },
      sort: [{ field: 'revenue', desc: true }, { field: 'period' }],
      limit: 10,
    });
    expect(JSON.parse(p.get('where')!)).toEqual({ not: { dimension: 'channel', op: 'in', values: ['web'] } });
    expect(p.get('sort')).toBe('-revenue,period');
    expect(p.get('limit')).toBe('10');
  });
});

describe('getMetrics', () => {
  afterEach(() => vi.unstubAllGlobals());
  it('posts the query as it is to /api/metrics/query', async () => {
    const fetch = vi.fn(async () => new Response(JSON.stringify({ rows: [] }), { status: 200 }));
    vi.stubGlobal('fetch', fetch);
    await getMetrics(query);
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/metrics/query');
    expect(init.method).toBe('POST');
    expect(JSON.parse(String(init.body))).toEqual(query);
  });
  it('turns an API error into an ApiError with its message', async () => {
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ error: { status: 400, message: 'where: bad' } }), { status: 400 }));
    await expect(getMetrics(query)).rejects.toMatchObject({ name: 'ApiError', status: 400, message: 'where: bad' });
  });
});
