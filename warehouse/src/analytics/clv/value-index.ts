// Maps numbers to dense ids 0, 1, 2, … in order of first appearance: an open-addressing hash table on the
// bits of the double, several times faster than a Map<number, number> on a million keys and allocation-free.

export class ValueIndex {
  private keys: Float64Array;
  private slots: Int32Array; // id + 1, 0 = empty
  private mask: number;
  size = 0;
  private readonly bits = new Float64Array(1);
  private readonly words = new Uint32Array(this.bits.buffer);

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
    let i = this.hash(v) & this.mask;
    for (;;) {
      const s = this.slots[i];
      if (s === 0) break;
      const k = this.keys[s - 1];
      if (k === v || (k !== k && v !== v)) return s - 1;
      i = (i + 1) & this.mask;
    }
    const id = this.size++;
    if (id >= this.keys.length) {
      this.grow();
      return this.insertNew(v, id);
    }
    this.keys[id] = v;
    this.slots[i] = id + 1;
    return id;
  }

  /** The distinct values, indexed by id. */
  values(): Float64Array {
    return this.keys.slice(0, this.size);
  }

  private hash(v: number): number {
    this.bits[0] = v;
    let h = this.words[0] ^ Math.imul(this.words[1], 0x9e3779b1);
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return h ^ (h >>> 16);
  }

  private insertNew(v: number, id: number): number {
    this.keys[id] = v;
    this.place(v, id);
    return id;
  }

  private place(v: number, id: number) {
    let i = this.hash(v) & this.mask;
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
