import { describe, expect, it } from 'vitest';
import { ariaSort, DEFAULT_LIST, listSearch, parseListState, toggleSort } from './list-state';

describe('customer list URL state', () => {
  it('round-trips through the URL and writes nothing for the defaults', () => {
    expect(listSearch(DEFAULT_LIST)).toBe('');
    const s = { q: 'madrid', sort: 'revenue' as const, desc: true, page: 3 };
    expect(listSearch(s)).toBe('?q=madrid&sort=revenue&desc=1&page=3');
    expect(parseListState(new URLSearchParams(listSearch(s)))).toEqual(s);
  });

  it('falls back to the defaults for unknown or malformed values', () => {
    expect(parseListState(new URLSearchParams('sort=password&page=-2&desc=maybe'))).toEqual(DEFAULT_LIST);
    expect(parseListState(new URLSearchParams('page=1.5')).page).toBe(1);
  });

  it('sorts a new column in its natural order, flips the current one, and goes back to page 1', () => {
    const byRevenue = toggleSort({ ...DEFAULT_LIST, page: 4 }, 'revenue');
    expect(byRevenue).toMatchObject({ sort: 'revenue', desc: true, page: 1 });
    expect(toggleSort(byRevenue, 'revenue').desc).toBe(false);
    expect(toggleSort(DEFAULT_LIST, 'full_name').desc).toBe(false);
    expect(toggleSort(DEFAULT_LIST, 'customer_id').desc).toBe(true);
    expect(ariaSort(byRevenue, 'revenue')).toBe('descending');
    expect(ariaSort(byRevenue, 'city')).toBe('none');
  });
});
