// Share-of-voice rows per brand from a `dimensions=brand` metrics answer.

import type { BrandInfo, MetricsResponse, MetricsRow } from './api';

export interface BrandShare {
  brand: string;
  isOwn: boolean;
  share: number | null;
  mentions: number | null;
  previousShare: number | null;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function brandShares(res: MetricsResponse, brands: readonly BrandInfo[]): BrandShare[] {
  // The per-brand totals; an API without them answers with one row per brand (no grain asked).
  const rows: readonly MetricsRow[] = res.totalsByDimension ?? res.rows;
  const previous = new Map(
    (res.comparisonTotalsByDimension ?? []).map((r) => [String(r.brand), num(r.share_of_voice)]),
  );
  const own = new Set(brands.filter((b) => b.is_own).map((b) => b.brand));
  const totalMentions = rows.reduce((s, r) => s + (num(r.mentions) ?? 0), 0);
  return rows
    .filter((r) => r.brand != null)
    .map((r) => {
      const brand = String(r.brand);
      const mentions = num(r.mentions);
      // Share derived from mentions when the API leaves it out of a row.
      const share = num(r.share_of_voice) ?? (mentions !== null && totalMentions > 0 ? mentions / totalMentions : null);
      return { brand, isOwn: own.has(brand), share, mentions, previousShare: previous.get(brand) ?? null };
    })
    .sort((a, b) => (b.share ?? -1) - (a.share ?? -1) || a.brand.localeCompare(b.brand));
}

export function hasShareData(shares: readonly BrandShare[]): boolean {
  return shares.some((s) => (s.mentions ?? 0) > 0 || (s.share ?? 0) > 0);
}
