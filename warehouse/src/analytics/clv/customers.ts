// The models' input — per customer x (repeat purchases), t_x (recency) and T (age), in weeks, and the mean value
// of the repeat purchases — as typed columns, validated once, and grouped into distinct patterns.
import { ClvModelError } from './errors.ts';
import { pairIds, ValueIndex } from './value-index.ts';

export interface ClvCustomerRow {
  /** Repeat purchases in the calibration period (purchases after the first; a non-negative integer). */
  x: number;
  /** Recency: weeks from the first to the last purchase (0 when x = 0). */
  t_x: number;
  /** Age: weeks from the first purchase to the end of the calibration period. */
  T: number;
  /** Mean value of the repeat purchases (null / NaN when x = 0). */
  monetary?: number | null;
}

export interface ClvCustomerColumns {
  x: ArrayLike<number>;
  t_x: ArrayLike<number>;
  T: ArrayLike<number>;
  monetary?: ArrayLike<number> | null;
}

export type ClvCustomers = ClvCustomerColumns | readonly ClvCustomerRow[];

export interface CustomerArrays {
  n: number;
  x: Float64Array;
  t_x: Float64Array;
  T: Float64Array;
  /** null when no monetary values were given at all. */
  monetary: Float64Array | null;
}

/** Columns as Float64Arrays (shared, not copied, when they already are), every value checked. */
export function customerArrays(customers: ClvCustomers): CustomerArrays {
  const c = Array.isArray(customers) ? rowsToColumns(customers as readonly ClvCustomerRow[]) : (customers as ClvCustomerColumns);
  const n = c.x.length;
  if (c.t_x.length !== n || c.T.length !== n || (c.monetary != null && c.monetary.length !== n)) {
    throw new ClvModelError('invalid_input', `The customer columns differ in length (x ${n}, t_x ${c.t_x.length}, T ${c.T.length}${c.monetary != null ? `, monetary ${c.monetary.length}` : ''}).`);
  }
  const arrays: CustomerArrays = {
    n,
    x: asFloat64(c.x),
    t_x: asFloat64(c.t_x),
    T: asFloat64(c.T),
    monetary: c.monetary != null ? asFloat64(c.monetary) : null,
  };
  validate(arrays);
  return arrays;
}

function rowsToColumns(rows: readonly ClvCustomerRow[]): ClvCustomerColumns {
  const n = rows.length;
  const x = new Float64Array(n), t_x = new Float64Array(n), T = new Float64Array(n);
  const hasMonetary = rows.some((r) => r.monetary != null);
  const monetary = hasMonetary ? new Float64Array(n) : null;
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    x[i] = r.x;
    t_x[i] = r.t_x;
    T[i] = r.T;
    if (monetary) monetary[i] = r.monetary ?? NaN;
  }
  return { x, t_x, T, monetary };
}

function asFloat64(a: ArrayLike<number>): Float64Array {
  if (a instanceof Float64Array) return a;
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] ?? NaN; // null (from SQL) becomes NaN and is judged below
  return out;
}

function validate({ n, x, t_x, T, monetary }: CustomerArrays) {
  const bad = (i: number, why: string) => {
    throw new ClvModelError(
      'invalid_input',
      `Customer ${i} (x = ${x[i]}, t_x = ${t_x[i]}, T = ${T[i]}${monetary ? `, monetary = ${monetary[i]}` : ''}): ${why}.`,
      i,
    );
  };
  for (let i = 0; i < n; i++) {
    const xi = x[i], txi = t_x[i], Ti = T[i];
    if (!(Number.isFinite(xi) && Number.isFinite(txi) && Number.isFinite(Ti))) bad(i, 'x, t_x and T must be finite numbers');
    if (xi < 0 || xi !== Math.floor(xi)) bad(i, 'x (repeat purchases) must be a whole number ≥ 0');
    if (txi < 0 || Ti < 0) bad(i, 't_x and T (weeks) must be ≥ 0');
    if (txi > Ti) bad(i, 't_x (weeks to the last purchase) is after T (weeks to the end of the period)');
    if (xi === 0 && txi !== 0) bad(i, 't_x must be 0 when there is no repeat purchase');
    if (monetary && xi > 0 && !Number.isFinite(monetary[i])) bad(i, 'monetary (mean repeat purchase value) must be a finite number when x > 0');
  }
}

/** Customers grouped by identical (x, t_x, T): the BG/NBD likelihood is a weighted sum over these patterns. */
export interface Patterns {
  /** Number of distinct patterns. */
  size: number;
  /** Customers per pattern. */
  weight: Float64Array;
  /** Per pattern, the id of its x, t_x and T among the distinct values below. */
  xId: Int32Array;
  txId: Int32Array;
  TId: Int32Array;
  xs: Float64Array;
  txs: Float64Array;
  Ts: Float64Array;
}

export function groupPatterns(x: Float64Array, t_x: Float64Array, T: Float64Array): Patterns {
  const n = x.length;
  const xIndex = new ValueIndex(64), txIndex = new ValueIndex(1024), TIndex = new ValueIndex(1024);
  const xIdOf = xIndex.ids(x, new Int32Array(n));
  const txIdOf = txIndex.ids(t_x, new Int32Array(n));
  const TIdOf = TIndex.ids(T, new Int32Array(n));
  const pairs = pairIds(xIdOf, xIndex.size, txIdOf, txIndex.size);
  const { ids: patternOf, size } = pairIds(pairs.ids, pairs.size, TIdOf, TIndex.size);
  const weight = new Float64Array(size);
  const xId = new Int32Array(size), txId = new Int32Array(size), TId = new Int32Array(size);
  for (let i = 0; i < n; i++) {
    const p = patternOf[i];
    if (weight[p]++ === 0) {
      xId[p] = xIdOf[i];
      txId[p] = txIdOf[i];
      TId[p] = TIdOf[i];
    }
  }
  return { size, weight, xId, txId, TId, xs: xIndex.values(), txs: txIndex.values(), Ts: TIndex.values() };
}

/** values[indices[i]] for every i. */
export function pick(values: Float64Array, indices: Int32Array): Float64Array {
  const out = new Float64Array(indices.length);
  for (let i = 0; i < indices.length; i++) out[i] = values[indices[i]];
  return out;
}
