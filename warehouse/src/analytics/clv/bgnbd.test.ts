import { describe, expect, it } from 'vitest';
import { bgnbdExpectedIfAlive, bgnbdExpectedIfAliveDirect, bgnbdExpectedPurchases, bgnbdPAlive } from './bgnbd.ts';

const CDNOW = { r: 0.2425945, alpha: 4.4136019, a: 0.7929199, b: 2.4258881 };

describe('BG/NBD predictions', () => {
  it('sums whichever of the two equivalent series converges, and both agree with the textbook form', () => {
    // a < x + r + 1 takes Euler's form, a > x + r + 1 the original one (a = 5 with x = 0, 1).
    const params = [CDNOW, { r: 0.2, alpha: 3, a: 5, b: 9 }, { r: 2.5, alpha: 40, a: 0.3, b: 0.9 }];
    for (const p of params) {
      for (const x of [0, 1, 4, 30]) {
        for (const T of [0, 5, 38.86, 200]) {
          for (const t of [1, 90 / 7, 39, 365 / 7, 104]) {
            const ours = bgnbdExpectedIfAlive(p, x, T, t);
            const direct = bgnbdExpectedIfAliveDirect(p, x, T, t);
            expect(Math.abs(ours - direct)).toBeLessThanOrEqual(1e-10 * Math.max(1, direct));
          }
        }
      }
    }
  });

  it('is continuous through a = 1, where the formula is 0/0', () => {
    for (const x of [0, 3]) {
      const at = (a: number) => bgnbdExpectedIfAlive({ ...CDNOW, a }, x, 20, 52);
      const below = at(1 - 1e-3), exact = at(1), above = at(1 + 1e-3);
      expect(exact).toBeGreaterThan(Math.min(below, above));
      expect(exact).toBeLessThan(Math.max(below, above));
      expect(Math.abs(exact - (below + above) / 2)).toBeLessThan(1e-6 * exact);
    }
  });

  it('gives P(alive) = 1 without repeat purchases, and less the longer a buyer has been silent', () => {
    expect(bgnbdPAlive(CDNOW, 0, 0, 30)).toBe(1);
    let previous = 1;
    for (const T of [10, 20, 40, 80]) {
      const p = bgnbdPAlive(CDNOW, 5, 10, T);
      expect(p).toBeLessThan(previous);
      expect(p).toBeGreaterThan(0);
      previous = p;
    }
  });

  it('expects no purchases over no time, and more over longer horizons', () => {
    expect(bgnbdExpectedPurchases(CDNOW, 3, 20, 30, 0)).toBe(0);
    let previous = 0;
    for (const t of [1, 10, 52, 520]) {
      const e = bgnbdExpectedPurchases(CDNOW, 3, 20, 30, t);
      expect(e).toBeGreaterThan(previous);
      previous = e;
    }
  });

  it('stays finite for extreme histories', () => {
    // A very frequent buyer silent for a long time: ((α+T)/(α+t_x))^(r+x) overflows to ∞, P(alive) is 0.
    expect(bgnbdPAlive(CDNOW, 2000, 10, 400)).toBe(0);
    expect(bgnbdExpectedPurchases(CDNOW, 2000, 10, 400, 52)).toBe(0);
    const busy = bgnbdExpectedPurchases(CDNOW, 500, 99.9, 100, 52);
    expect(Number.isFinite(busy) && busy > 100).toBe(true);
  });
});
