// The Customers list's view state <-> the URL query string (`?q=&sort=&desc=1&page=2`). As with the Overview,
// defaults are never written, so `/customers` is the default view and a copied URL reopens the same view. Pure.

import { CUSTOMER_SORTS, type CustomerSort } from './api';

export const PAGE_SIZE = 50;

export interface CustomerListState {
  q: string;
  sort: CustomerSort;
  desc: boolean;
  /** 1-based. */
  page: number;
}

export const DEFAULT_LIST: CustomerListState = { q: '', sort: 'customer_id', desc: false, page: 1 };

/** Columns whose natural first order is largest first (amounts, counts, dates). */
const DESC_FIRST: readonly CustomerSort[] = [
  'orders', 'revenue', 'last_order_date', 'historical_clv', 'predicted_clv_12m', 'p_alive', 'mentions', 'tickets', 'created_at',
];

/** A positive page number from the URL, else 1. */
export function parsePage(value: string | null): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 ? n : 1;
}

export function parseListState(params: URLSearchParams): CustomerListState {
  const sort = params.get('sort');
  return {
    q: (params.get('q') ?? '').trim().slice(0, 200),
    sort: CUSTOMER_SORTS.includes(sort as CustomerSort) ? (sort as CustomerSort) : DEFAULT_LIST.sort,
    desc: params.get('desc') === '1' || params.get('desc') === 'true',
    page: parsePage(params.get('page')),
  };
}

export function listSearch(state: CustomerListState): string {
  const p = new URLSearchParams();
  if (state.q) p.set('q', state.q);
  if (state.sort !== DEFAULT_LIST.sort) p.set('sort', state.sort);
  if (state.desc) p.set('desc', '1');
  if (state.page > 1) p.set('page', String(state.page));
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** Clicking a column header: the same column flips its direction, another starts in its natural order; page 1. */
export function toggleSort(state: CustomerListState, column: CustomerSort): CustomerListState {
  const desc = state.sort === column ? !state.desc : DESC_FIRST.includes(column);
  return { ...state, sort: column, desc, page: 1 };
}

export type AriaSort = 'ascending' | 'descending' | 'none';
export const ariaSort = (state: { sort: string; desc: boolean }, column: string): AriaSort =>
  state.sort === column ? (state.desc ? 'descending' : 'ascending') : 'none';
