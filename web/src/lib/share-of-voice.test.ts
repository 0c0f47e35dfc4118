import { describe, expect, it } from 'vitest';
import type { MetricsResponse } from './api';
import { brandShares, hasShareData } from './share-of-voice';

const brands = [
  { brand: 'Marea', is_own: true },
  { brand: 'Oliva', is_own: false },
  { brand: 'Faro', is_own: false },
];
const base: MetricsResponse = {
  timeRange: { start: '2026-08-03', end: '2026-10-31' },
  measures: [],
  rows: [],
};

describe('brandShares', () => {
  it('reads per-brand totals, marks the own brand and sorts by share', () => {
    const res = {
      ...base,
      totalsByDimension: [
        { brand: 'Oliva', share_of_voice: 0.3, mentions: 300 },
        { brand: 'Marea', share_of_voice: 0.5, mentions: 500 },
        { brand: 'Faro', share_of_voice: 0.2, mentions: 200 },
      ],
      comparisonTotalsByDimension: [{ brand: 'Marea', share_of_voice: 0.45, mentions: 400 }],
    };
    expect(brandShares(res, brands)).toEqual([
      { brand: 'Marea', isOwn: true, share: 0.5, mentions: 500, previousShare: 0.45 },
      { brand: 'Oliva', isOwn: false, share: 0.3, mentions: 300, previousShare: null },
      { brand: 'Faro', isOwn: false, share: 0.2, mentions: 200, previousShare: null },
    ]);
  });
  it('falls back to rows and derives a missing share from mentions', () => {
    const res = { ...base, rows: [{ brand: 'Marea', mentions: 30 }, { brand: 'Oliva', mentions: 10 }] };
    expect(brandShares(res, brands).map((s) => [s.brand, s.share])).toEqual([
      ['Marea', 0.75],
      ['Oliva', 0.25],
    ]);
  });
  it('knows when no brand was mentioned', () => {
    const res = { ...base, totalsByDimension: [{ brand: 'Marea', share_of_voice: null, mentions: 0 }] };
    expect(hasShareData(brandShares(res, brands))).toBe(false);
  });
});
