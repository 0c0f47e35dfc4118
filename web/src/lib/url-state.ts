// The Overview's view state <-> the URL query string. The URL holds the user's intent only:
// values equal to the defaults are never written, so `/` is the default view and a copied URL
// reopens exactly the same view. Pure: no framework imports.

import type { Grain } from './api';
import { addDays, isIsoDate, presetRange } from './date-range';

export const GRAINS: readonly Grain[] = ['day', 'week', 'month'];

/** Measures the trend chart can switch between. */
export type TrendMetric = 'revenue' | 'orders' | 'mentions';
export const TREND_METRICS: readonly TrendMetric[] = ['revenue', 'orders', 'mentions'];

/** Filter value meaning "no filter" for brand and network. */
export const ALL = 'all';

export interface OverviewState {
  from: string;
  to: string;
  grain: Grain;
  brand: string;
  network: string;
  metric: TrendMetric;
}

export interface StateContext {
  /** The last day with data (`/api/meta` dataRange.max): "today" for the presets. */
  today: string;
  /** Known brands and networks; a URL value outside them falls back to "all". */
  brands?: readonly string[];
  networks?: readonly string[];
}

export const DEFAULT_PRESET = '90d';
export const DEFAULT_GRAIN: Grain = 'week';
export const DEFAULT_METRIC: TrendMetric = 'revenue';

export function defaultState(ctx: StateContext): OverviewState {
  return {
    ...presetRange(DEFAULT_PRESET, ctx.today),
    grain: DEFAULT_GRAIN,
    brand: ALL,
    network: ALL,
    metric: DEFAULT_METRIC,
  };
}

function pickFilter(value: string | null, known: readonly string[] | undefined): string {
  if (!value || value === ALL) return ALL;
  return !known || known.includes(value) ? value : ALL;
}

function pickOne<T extends string>(value: string | null, allowed: readonly T[], fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback;
}

export function parseState(params: URLSearchParams, ctx: StateContext): OverviewState {
  const defaults = defaultState(ctx);
  const fromParam = params.get('from');
  const toParam = params.get('to');
  let to = isIsoDate(toParam) ? toParam : defaults.to;
  let from = isIsoDate(fromParam) ? fromParam : isIsoDate(toParam) ? addDays(to, -89) : defaults.from;
  if (from > to) [from, to] = [to, from];
  return {
    from,
    to,
    grain: pickOne(params.get('grain'), GRAINS, DEFAULT_GRAIN),
    brand: pickFilter(params.get('brand'), ctx.brands),
    network: pickFilter(params.get('network'), ctx.networks),
    metric: pickOne(params.get('metric'), TREND_METRICS, DEFAULT_METRIC),
  };
}

export function serializeState(state: OverviewState, ctx: StateContext): URLSearchParams {
  const defaults = defaultState(ctx);
  const params = new URLSearchParams();
  if (state.from !== defaults.from || state.to !== defaults.to) {
    params.set('from', state.from);
    params.set('to', state.to);
  }
  if (state.grain !== defaults.grain) params.set('grain', state.grain);
  if (state.brand !== ALL) params.set('brand', state.brand);
  if (state.network !== ALL) params.set('network', state.network);
  if (state.metric !== defaults.metric) params.set('metric', state.metric);
  return params;
}

/** `?from=…&to=…` or the empty string for the default view. */
export function toSearch(state: OverviewState, ctx: StateContext): string {
  const query = serializeState(state, ctx).toString();
  return query ? `?${query}` : '';
}
