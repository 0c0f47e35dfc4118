import { describe, expect, it } from 'vitest';
import { alignTrend, describePartial, describeTrend, hasTrendData, partialPeriod, periodEnd, trendTicks } from './trend';

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

describe('trendTicks', () => {
  const days = (n: number) =>
    Array.from({ length: n }, (_, i) => {
      const d = new Date(Date.UTC(2025, 10, 1 + i)).toISOString().slice(0, 10);
      return { period: d, revenue: 1 };
    });
  it('ticks on every period when there are few', () => {
    const { ticks, labelGrain } = trendTicks(alignTrend(rows, null, 'revenue'), 'week');
    expect(ticks).toHaveLength(3);
    expect(labelGrain).toBe('week');
  });
  it('thins long series to at most eight ticks', () => {
    const { ticks } = trendTicks(alignTrend(days(90), null, 'revenue'), 'day');
    expect(ticks.length).toBeLessThanOrEqual(8);
    expect(ticks[0].getDate()).toBe(1);
  });
  it('ticks a long daily series on month starts', () => {
    const { ticks, labelGrain } = trendTicks(alignTrend(days(365), null, 'revenue'), 'day');
    expect(labelGrain).toBe('month');
    expect(ticks.every((d) => d.getDate() === 1)).toBe(true);
    expect(ticks.length).toBeLessThanOrEqual(8);
  });
});

describe('partial periods', () => {
  const range = { start: '2026-08-03', end: '2026-10-31' };
  it('knows where a period ends', () => {
    expect(periodEnd('2026-10-26', 'week')).toBe('2026-11-01');
    expect(periodEnd('2026-02-01', 'month')).toBe('2026-02-28');
    expect(periodEnd('2026-02-03', 'day')).toBe('2026-02-03');
  });
  it('flags the weeks and months the range cuts short', () => {
    expect(partialPeriod('2026-08-03', 'week', range)).toBeNull();
    expect(partialPeriod('2026-10-26', 'week', range)).toEqual({ from: '2026-10-26', to: '2026-10-31' });
    expect(partialPeriod('2026-08-01', 'month', range)).toEqual({ from: '2026-08-03', to: '2026-08-31' });
    expect(partialPeriod('2026-10-01', 'month', range)).toBeNull();
  });
  it('marks them on the aligned points', () => {
    const points = alignTrend(rows, null, 'revenue', { grain: 'week', range: { start: '2026-08-03', end: '2026-08-20' } });
    expect(points.map((p) => p.partial)).toEqual([null, null, { from: '2026-08-17', to: '2026-08-20' }]);
  });
});

describe('describePartial', () => {
  it('names the partial periods', () => {
    const points = alignTrend(rows, null, 'revenue', { grain: 'week', range: { start: '2026-08-04', end: '2026-08-20' } });
    expect(describePartial(points, 'week')).toBe('Aug 4 – Aug 9, 2026 and Aug 17 – Aug 20, 2026 are partial weeks: their values cover fewer days.');
    expect(describePartial(alignTrend(rows, null, 'revenue'), 'week')).toBeNull();
  });
});
