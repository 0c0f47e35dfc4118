import { describe, expect, it } from 'vitest';
import { alignTrend, describeTrend, hasTrendData } from './trend';

const rows = [
  { period: '2026-08-10', revenue: 200 },
  { period: '2026-08-03', revenue: 100 },
  { period: '2026-08-17', revenue: null },
];
const comparisonRows = [
  { period: '2026-05-05', revenue: 90 },
  { period: '2026-05-12', revenue: 210 },
];

describe('alignTrend', () => {
  it('sorts by period and pairs the comparison period by index', () => {
    const points = alignTrend(rows, comparisonRows, 'revenue');
    expect(points.map((p) => [p.period, p.value, p.previousPeriod, p.previous])).toEqual([
      ['2026-08-03', 100, '2026-05-05', 90],
      ['2026-08-10', 200, '2026-05-12', 210],
      ['2026-08-17', null, null, null],
    ]);
    expect(points[0].date.getDate()).toBe(3);
  });
  it('works without a comparison', () => {
    expect(alignTrend(rows, undefined, 'revenue').every((p) => p.previous === null)).toBe(true);
  });
  it('knows when there is nothing to draw', () => {
    expect(hasTrendData(alignTrend(rows, null, 'revenue'))).toBe(true);
    expect(hasTrendData(alignTrend([{ period: '2026-08-03', revenue: 0 }], null, 'revenue'))).toBe(false);
    expect(hasTrendData([])).toBe(false);
  });
});

describe('describeTrend', () => {
  it('summarises the series for screen readers', () => {
    const points = alignTrend(rows, comparisonRows, 'revenue');
    expect(
      describeTrend(points, { label: 'Revenue', format: 'currency', grain: 'week', total: 300, previousTotal: 250 }),
    ).toBe('Revenue by week, Aug 3 – Aug 17, 2026. Total €300.00, +20.0% against the previous period. Highest: €200.00 in Week of Aug 10, 2026.');
  });
  it('says when there is no data', () => {
    expect(describeTrend([], { label: 'Orders', format: 'integer', grain: 'day' })).toBe('Orders: no data in this range.');
  });
});
