// Helpers for the Segments pages. Pure: no framework imports.

import type { RfmCell, SegmentKind } from './api';

/** The id of a built-in segment from its value, as the API builds it (warehouse/src/segments/builtin.ts). */
export const slug = (s: string) => s.toLowerCase().replace(/'/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
export const rfmSegmentId = (name: string) => `rfm-${slug(name)}`;

export const SCORES = [1, 2, 3, 4, 5] as const;

/** The R×F grid as rows (recency 5 = most recent first) of five frequency cells (1 → 5); missing cells are null. */
export function rfmRows(cells: readonly RfmCell[]): { r: number; cells: (RfmCell | null)[] }[] {
  const at = new Map(cells.map((c) => [`${c.r_score}:${c.f_score}`, c]));
  return [...SCORES].reverse().map((r) => ({ r, cells: SCORES.map((f) => at.get(`${r}:${f}`) ?? null) }));
}

/** 0..1: a cell's share of the largest cell, for the heat map's colour. */
export const intensity = (n: number, max: number) => (max > 0 ? Math.min(1, Math.max(0, n / max)) : 0);

export const KIND_TITLE: Record<SegmentKind, string> = {
  rfm: 'RFM segments',
  frequency: 'Purchase frequency',
  clv_tier: 'CLV tiers',
  advocacy: 'Social roles',
  saved: 'Saved segments',
};

/** "RFM: Champions" → "Champions" (the list is already grouped by kind). */
export const shortName = (name: string) => name.replace(/^[^:]+:\s*/, '');
