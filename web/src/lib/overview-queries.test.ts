import { describe, expect, it } from 'vitest';
import type { Meta } from './api';
import { kpiQuery, measureBrand, shareOfVoiceQuery, trendQuery, unappliedFilters } from './overview-queries';
import { defaultState } from './url-state';

const state = { ...defaultState({ today: '2026-10-31' }), brand: 'Oliva', network: 'x' };
const meta: Meta = {
  brands: [
    { brand: 'Marea', is_own: true },
    { brand: 'Oliva', is_own: false },
  ],
  networks: [],
  dataRange: { min: '2023-11-01', max: '2026-10-31' },
  measures: [],
  dimensions: [
    { name: 'brand', label: 'Brand', views: ['social'] },
    { name: 'network', label: 'Network', views: ['social'] },
  ],
};

describe('overview queries', () => {
  it('asks for the six KPIs as totals with the previous period, in the shared contract', () => {
    expect(kpiQuery(state)).toEqual({
      measures: ['revenue', 'orders', 'active_customers', 'mentions', 'share_of_voice', 'net_sentiment'],
      timeRange: { start: '2026-08-03', end: '2026-10-31' },
      grain: 'none',
      filters: { brand: ['Oliva'], network: ['x'] },
      comparison: 'previous_period',
    });
  });
  it('leaves filters out when brand and network are all', () => {
    expect(kpiQuery(defaultState({ today: '2026-10-31' }))).not.toHaveProperty('filters');
  });
  it('asks the trend for every switchable metric at the chosen grain', () => {
    expect(trendQuery(state)).toMatchObject({ measures: ['revenue', 'orders', 'mentions'], grain: 'week', filters: { brand: ['Oliva'], network: ['x'] } });
  });
  it('compares all brands for share of voice, keeping the network filter', () => {
    const q = shareOfVoiceQuery(state);
    expect(q.filters).toEqual({ network: ['x'] });
    expect(q).toMatchObject({ dimensions: ['brand'], grain: 'none' });
  });
  it('names the filters a measure ignores', () => {
    const revenue = { name: 'revenue', label: 'Revenue', format: 'currency' as const, description: '', view: 'sales' };
    const mentions = { ...revenue, name: 'mentions', view: 'social' };
    expect(unappliedFilters(revenue, state, meta)).toEqual(['Brand', 'Network']);
    expect(unappliedFilters(mentions, state, meta)).toEqual([]);
    expect(unappliedFilters(revenue, defaultState({ today: '2026-10-31' }), meta)).toEqual([]);
  });
});

describe('measureBrand', () => {
  const revenue = { name: 'revenue', label: 'Revenue', format: 'currency' as const, description: '', view: 'sales' };
  const mentions = { ...revenue, name: 'mentions', view: 'social' };
  it('is the chosen brand, else our own, for social measures', () => {
    expect(measureBrand(mentions, state, meta)).toBe('Oliva');
    expect(measureBrand(mentions, defaultState({ today: '2026-10-31' }), meta)).toBe('Marea');
  });
  it('is null for measures without brands', () => {
    expect(measureBrand(revenue, state, meta)).toBeNull();
  });
});
