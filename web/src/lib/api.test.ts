import { describe, expect, it } from 'vitest';
import { metricsSearchParams } from './api';

describe('metricsSearchParams', () => {
  it('writes the query string form of the MetricsQuery contract', () => {
    const p = metricsSearchParams({
      measures: ['revenue', 'orders'],
      from: '2026-08-03',
      to: '2026-10-31',
      grain: 'week',
      dimensions: ['brand'],
      brand: ['Marea'],
      network: ['x', 'instagram'],
      comparison: 'previous_period',
    });
    expect(p.toString()).toBe(
      'measures=revenue%2Corders&from=2026-08-03&to=2026-10-31&grain=week&dimensions=brand&brand=Marea&network=x%2Cinstagram&comparison=previous_period',
    );
  });
  it('leaves out what was not asked for', () => {
    expect(metricsSearchParams({ measures: ['mentions'], from: '2026-01-01', to: '2026-01-31' }).toString()).toBe(
      'measures=mentions&from=2026-01-01&to=2026-01-31',
    );
  });
});
