// Dense ids 0, 1, 2, … for values in order of first appearance — how a million customers are grouped into distinct
// (x, t_x, T) patterns. An open-addressing hash table on the bits of the double, several times faster than a
// Map<number, number> on a million keys; pairs of small ids go through a plain array instead of a hash.

const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);

function hash(v: number): number {
  bits[0] = v;
  let h = words[0] ^ Math.imul(words[1], 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

export class ValueIndex {
  private keys: Float64Array;
  private slots: Int32Array; // id + 1, 0 = empty
  private mask: number;
  size = 0;

  constructor(expected = 1024) {
    let cap = 16;
    while (cap < expected * 2) cap *= 2;
    this.keys = new Float64Array(cap / 2);
    this.slots = new Int32Array(cap);
    this.mask = cap - 1;
  }

  /** The id of v, assigning the next id when v is new. NaN is a key like any other; −0 and 0 are the same key. */
  id(v: number): number {
    if (v === 0) v = 0; // fold −0 into +0
    let i = hash(v) & this.mask;
    for (;;) {
      const s = this.slots[i];
      if (s === 0) break;
      const k = this.keys[s - 1];
      if (k === v || (k !== k && v !== v)) return s - 1;
      i = (i + 1) & this.mask;
    }
    const id = this.size++;
    if (id >= this.keys.length) this.grow();
    this.keys[id] = v;
    this.place(v, id);
    return id;
  }

  /** out[i] = id(values[i]) for every i: one tight loop, for columns of a million values. */
  ids(values: Float64Array, out: Int32Array): Int32Array {
    let { keys, slots, mask } = this;
    for (let j = 0; j < values.length; j++) {
      let v = values[j];
      if (v === 0) v = 0;
      let i = hash(v) & mask;
      let found = -1;
      for (;;) {
        const s = slots[i];
        if (s === 0) break;
        const k = keys[s - 1];
        if (k === v || (k !== k && v !== v)) {
          found = s - 1;
          break;
        }
        i = (i + 1) & mask;
      }
      if (found < 0) {
        found = this.size++;
        if (found >= keys.length) {
          this.grow();
          ({ keys, slots, mask } = this);
          keys[found] = v;
          this.place(v, found);
        } else {
          keys[found] = v;
          slots[i] = found + 1;
        }
      }
      out[j] = found;
    }
    return out;
  }

  /** The distinct values, indexed by id. */
  values(): Float64Array {
    return this.keys.slice(0, this.size);
  }

  private place(v: number, id: number) {
    let i = hash(v) & this.mask;
    while (this.slots[i] !== 0) i = (i + 1) & this.mask;
    this.slots[i] = id + 1;
  }

  private grow() {
    const cap = this.slots.length * 2;
    const keys = new Float64Array(cap / 2);
    keys.set(this.keys);
    this.keys = keys;
    this.slots = new Int32Array(cap);
    this.mask = cap - 1;
    for (let id = 0; id < this.size - 1; id++) this.place(this.keys[id], id);
  }
}

/** Up to this many cells (64 MB of Int32) a pair of ids is looked up in a plain array rather than hashed. */
const DENSE_LIMIT = 1 << 24;

/**
 * Ids for the distinct pairs (a[i], b[i]) of ids a[i] < nA, b[i] < nB, in order of first appearance. Returns the
 * pair id of every row and the number of distinct pairs.
 */
export function pairIds(a: Int32Array, nA: number, b: Int32Array, nB: number): { ids: Int32Array; size: number } {
  const n = a.length;
  const ids = new Int32Array(n);
  if (nA * nB <= DENSE_LIMIT) {
    const table = new Int32Array(nA * nB); // id + 1, 0 = not seen
    let size = 0;
    for (let i = 0; i < n; i++) {
      const cell = a[i] * nB + b[i];
      let id = table[cell];
      if (id === 0) id = table[cell] = ++size;
      ids[i] = id - 1;
    }
    return { ids, size };
  }
  // a·nB + b < nA·nB ≤ n² stays an exact double (below 2^53) for any n under 9·10^7.
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = a[i] * nB + b[i];
  const index = new ValueIndex(Math.min(n, 1 << 20));
  index.ids(keys, ids);
  return { ids, size: index.size };
}
