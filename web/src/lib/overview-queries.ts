// The three MetricsQueries behind the Overview (POST /api/metrics/query), derived from its view state.

import type { Meta, MeasureInfo, MetricsQuery } from './api';
import { ALL, TREND_METRICS, type OverviewState } from './url-state';

export const KPI_MEASURES = [
  'revenue',
  'orders',
  'active_customers',
  'mentions',
  'share_of_voice',
  'net_sentiment',
] as const;

/** The brand and network filters, in the contract's `filters` shorthand (each an `in` condition). */
function filters(state: OverviewState, which: readonly ('brand' | 'network')[] = ['brand', 'network']): Pick<MetricsQuery, 'filters'> {
  const out: Record<string, string[]> = {};
  for (const name of which) if (state[name] !== ALL) out[name] = [state[name]];
  return Object.keys(out).length ? { filters: out } : {};
}

/** Totals only (`grain: none`): the tiles need no rows. */
export function kpiQuery(state: OverviewState): MetricsQuery {
  return {
    measures: [...KPI_MEASURES],
    timeRange: { start: state.from, end: state.to },
    grain: 'none',
    ...filters(state),
    comparison: 'previous_period',
  };
}

/** One query for every metric the trend chart can switch to, so switching needs no request. */
export function trendQuery(state: OverviewState): MetricsQuery {
  return {
    measures: [...TREND_METRICS],
    timeRange: { start: state.from, end: state.to },
    grain: state.grain,
    ...filters(state),
    comparison: 'previous_period',
  };
}

/**
 * Share of voice compares the brands, so it ignores the brand filter (the chosen brand is
 * highlighted instead); the network filter still applies.
 */
export function shareOfVoiceQuery(state: OverviewState): MetricsQuery {
  return {
    measures: ['share_of_voice', 'mentions'],
    timeRange: { start: state.from, end: state.to },
    grain: 'none',
    dimensions: ['brand'],
    ...filters(state, ['network']),
    comparison: 'previous_period',
  };
}

/**
 * Filters that do not apply to a measure: the brand filter narrows social measures but not
 * sales, because orders carry no brand. Read from which views each filter dimension covers.
 */
export function unappliedFilters(measure: MeasureInfo | undefined, state: OverviewState, meta: Meta): string[] {
  if (!measure?.view) return [];
  const out: string[] = [];
  for (const name of ['brand', 'network'] as const) {
    if (state[name] === ALL) continue;
    const dim = meta.dimensions.find((d) => d.name === name);
    if (dim && !dim.views.includes(measure.view)) out.push(dim.label || name);
  }
  return out;
}

/**
 * Whose numbers a brand-scoped measure shows: social measures are about one brand, the chosen one
 * or else our own (per the API: "our brand unless a brand is chosen"). Null for measures the
 * brand dimension does not cover.
 */
export function measureBrand(measure: MeasureInfo | undefined, state: OverviewState, meta: Meta): string | null {
  const dim = meta.dimensions.find((d) => d.name === 'brand');
  if (!measure?.view || !dim?.views.includes(measure.view)) return null;
  if (state.brand !== ALL) return state.brand;
  return meta.brands.find((b) => b.is_own)?.brand ?? null;
}
