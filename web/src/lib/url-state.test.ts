import { describe, expect, it } from 'vitest';
import { defaultState, parseState, serializeState, toSearch, type OverviewState } from './url-state';

const ctx = { today: '2026-10-31', brands: ['Marea', 'Oliva', 'Sendero Azul'], networks: ['instagram', 'x'] };
const parse = (q: string) => parseState(new URLSearchParams(q), ctx);

describe('defaults', () => {
  it('is the last 90 days ending on the last day with data, by week, unfiltered', () => {
    expect(defaultState(ctx)).toEqual({
      from: '2026-08-03',
      to: '2026-10-31',
      grain: 'week',
      brand: 'all',
      network: 'all',
      metric: 'revenue',
    });
  });
  it('parses an empty query to the defaults and writes nothing for them', () => {
    expect(parse('')).toEqual(defaultState(ctx));
    expect(toSearch(defaultState(ctx), ctx)).toBe('');
  });
  it('does not write values that equal the defaults even when the URL had them', () => {
    const state = parse('from=2026-08-03&to=2026-10-31&grain=week&brand=all&network=all&metric=revenue');
    expect(toSearch(state, ctx)).toBe('');
  });
});

describe('round trip', () => {
  it('reopens the same view from a copied URL', () => {
    const state: OverviewState = {
      from: '2026-01-01',
      to: '2026-10-31',
      grain: 'month',
      brand: 'Sendero Azul',
      network: 'instagram',
      metric: 'mentions',
    };
    const search = toSearch(state, ctx);
    expect(search).toBe('?from=2026-01-01&to=2026-10-31&grain=month&brand=Sendero+Azul&network=instagram&metric=mentions');
    expect(parse(search.slice(1))).toEqual(state);
  });
  it('writes both ends of the range when either differs from the default', () => {
    const params = serializeState({ ...defaultState(ctx), to: '2026-10-30' }, ctx);
    expect(params.get('from')).toBe('2026-08-03');
    expect(params.get('to')).toBe('2026-10-30');
  });
  it('writes only the changed filter', () => {
    expect(toSearch({ ...defaultState(ctx), grain: 'day' }, ctx)).toBe('?grain=day');
    expect(toSearch({ ...defaultState(ctx), brand: 'Oliva' }, ctx)).toBe('?brand=Oliva');
  });
});

describe('tolerant parsing', () => {
  it('ignores invalid dates, grains and metrics', () => {
    const s = parse('from=2026-02-30&to=yesterday&grain=year&metric=profit');
    expect(s).toEqual(defaultState(ctx));
  });
  it('swaps a reversed range', () => {
    const s = parse('from=2026-10-01&to=2026-09-01');
    expect([s.from, s.to]).toEqual(['2026-09-01', '2026-10-01']);
  });
  it('fills a missing end: to defaults to today, from to 90 days before to', () => {
    expect(parse('from=2026-10-01')).toMatchObject({ from: '2026-10-01', to: '2026-10-31' });
    expect(parse('to=2026-06-30')).toMatchObject({ from: '2026-04-02', to: '2026-06-30' });
  });
  it('falls back to all for unknown brands and networks', () => {
    expect(parse('brand=Nope&network=myspace')).toMatchObject({ brand: 'all', network: 'all' });
    expect(parseState(new URLSearchParams('brand=Nope'), { today: '2026-10-31' }).brand).toBe('Nope');
  });
});
