import { describe, expect, it } from 'vitest';
import { ValueIndex } from './value-index.ts';

describe('ValueIndex', () => {
  it('numbers distinct values in order of first appearance, across growth', () => {
    const index = new ValueIndex(2);
    const values = Array.from({ length: 5000 }, (_, i) => (i % 1700) / 7); // repeats after 1,700
    const ids = values.map((v) => index.id(v));
    expect(index.size).toBe(1700);
    values.forEach((v, i) => expect(ids[i]).toBe(i % 1700));
    expect(Array.from(index.values())).toEqual(values.slice(0, 1700));
  });

  it('treats −0 as 0 and NaN as one key, and tells large integers apart', () => {
    const index = new ValueIndex();
    expect(index.id(0)).toBe(index.id(-0));
    expect(index.id(NaN)).toBe(index.id(NaN));
    const big = 2 ** 52;
    expect(index.id(big)).not.toBe(index.id(big + 1));
    expect(index.size).toBe(4);
  });
});
