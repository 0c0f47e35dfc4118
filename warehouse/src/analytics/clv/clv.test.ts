import { describe, expect, it } from 'vitest';
import { BgNbdObjective, bgnbdExpectedPurchases, bgnbdLogLikelihood } from './bgnbd.ts';
import { groupPatterns } from './customers.ts';
import { ClvModelError } from './errors.ts';
import { fitLogParams } from './fit.ts';
import { gammaGammaExpectedSpend, gammaGammaLogLikelihood, SpendObjective } from './gamma-gamma.ts';
import { fitClv, monthlyRate, scoreClv, type ClvFit } from './index.ts';
import { simulateCustomers } from './simulate.ts';

const CDNOW = { r: 0.2425945, alpha: 4.4136019, a: 0.7929199, b: 2.4258881 };
const SPEND = { p: 6.25, q: 3.74, gamma: 15.44 };

describe('likelihoods', () => {
  const sim = simulateCustomers(CDNOW, 3000, { seed: 7, spend: SPEND });

  it('BG/NBD: the grouped likelihood equals the per-customer sum, and its gradient the numerical one', () => {
    const patterns = groupPatterns(sim.x, sim.t_x, sim.T);
    expect(patterns.size).toBeLessThan(3000);
    const objective = new BgNbdObjective(patterns);
    const params = { r: 0.4, alpha: 6, a: 1.3, b: 3.1 };
    const theta = Float64Array.of(Math.log(0.4), Math.log(6), Math.log(1.3), Math.log(3.1));
    const g = new Float64Array(4);
    const f = objective.evaluate(theta, g);
    let sum = 0;
    for (let i = 0; i < 3000; i++) sum += bgnbdLogLikelihood(params, sim.x[i], sim.t_x[i], sim.T[i]);
    expect(-f * 3000).toBeCloseTo(sum, 8);
    expectGradient((th, gr) => objective.evaluate(th, gr), theta, g);
  });

  it('Gamma-Gamma: the grouped likelihood equals the per-customer sum, and its gradient the numerical one', () => {
    const objective = new SpendObjective(sim.x, sim.monetary!);
    const theta = Float64Array.of(Math.log(4), Math.log(2.5), Math.log(20));
    const g = new Float64Array(3);
    const f = objective.evaluate(theta, g);
    let sum = 0;
    for (let i = 0; i < 3000; i++) if (sim.x[i] > 0) sum += gammaGammaLogLikelihood({ p: 4, q: 2.5, gamma: 20 }, sim.x[i], sim.monetary![i]);
    expect(-f * objective.customers).toBeCloseTo(sum, 8);
    expectGradient((th, gr) => objective.evaluate(th, gr), theta, g);
  });
});

function expectGradient(evaluate: (theta: Float64Array, g: Float64Array) => number, theta: Float64Array, g: Float64Array) {
  const scratch = new Float64Array(theta.length);
  for (let i = 0; i < theta.length; i++) {
    const h = 1e-6;
    const up = Float64Array.from(theta), down = Float64Array.from(theta);
    up[i] += h;
    down[i] -= h;
    const numeric = (evaluate(up, scratch) - evaluate(down, scratch)) / (2 * h);
    expect(Math.abs(g[i] - numeric)).toBeLessThan(1e-7 * Math.max(1, Math.abs(numeric)));
  }
}

describe('fitClv on simulated customers', () => {
  it('recovers the parameters it simulated with', () => {
    const sim = simulateCustomers(CDNOW, 40_000, { seed: 11, spend: SPEND });
    const fit = fitClv(sim);
    // With 40,000 customers the standard errors are a few per cent; 15 % leaves room for the day rounding.
    for (const k of ['r', 'alpha', 'a', 'b'] as const) expect(Math.abs(fit.bgnbd[k] / CDNOW[k] - 1)).toBeLessThan(0.15);
    for (const k of ['p', 'q', 'gamma'] as const) expect(Math.abs(fit.gammaGamma![k] / SPEND[k] - 1)).toBeLessThan(0.15);
    expect(fit.bgnbd.patterns).toBeLessThan(fit.bgnbd.customers);
    expect(fit.warnings).toEqual([]);
  });

  it('reaches the same optimum when a subsample locates it first', () => {
    const sim = simulateCustomers(CDNOW, 40_000, { seed: 12, spend: SPEND });
    const direct = fitClv(sim);
    const staged = fitClv(sim, { subsampleCustomers: 5000 });
    expect(direct.bgnbd.subsampleEvaluations).toBe(0);
    expect(staged.bgnbd.subsampleEvaluations).toBeGreaterThan(0);
    expect(staged.gammaGamma!.subsampleEvaluations).toBeGreaterThan(0);
    for (const k of ['r', 'alpha', 'a', 'b'] as const) expect(Math.abs(staged.bgnbd[k] / direct.bgnbd[k] - 1)).toBeLessThan(1e-6);
    for (const k of ['p', 'q', 'gamma'] as const) expect(Math.abs(staged.gammaGamma![k] / direct.gammaGamma![k] - 1)).toBeLessThan(1e-6);
    expect(staged.bgnbd.logLik).toBeCloseTo(direct.bgnbd.logLik, 6);
  });

  it('is deterministic and accepts rows as well as columns', () => {
    const sim = simulateCustomers(CDNOW, 2000, { seed: 3, spend: SPEND });
    const rows = Array.from({ length: 2000 }, (_, i) => ({ x: sim.x[i], t_x: sim.t_x[i], T: sim.T[i], monetary: sim.x[i] > 0 ? sim.monetary![i] : null }));
    const a = fitClv(sim), b = fitClv(rows);
    expect({ ...b.bgnbd }).toEqual({ ...a.bgnbd });
    expect({ ...b.gammaGamma }).toEqual({ ...a.gammaGamma });
  });
});

describe('scoreClv', () => {
  const sim = simulateCustomers(CDNOW, 5000, { seed: 5, spend: SPEND });
  const model = { bgnbd: CDNOW, gammaGamma: SPEND };

  it('computes the documented CLV sum customer by customer', () => {
    const scores = scoreClv(model, sim, { discount: { annualRate: 0.12 }, months: 12 });
    const d = Math.pow(1.12, 1 / 12) - 1;
    expect(scores.monthlyDiscountRate).toBeCloseTo(d, 15);
    for (const i of [0, 1, 2, 17, 99, 4999]) {
      const [x, t_x, T] = [sim.x[i], sim.t_x[i], sim.T[i]];
      const spend = gammaGammaExpectedSpend(SPEND, x, sim.monetary![i]);
      let clv = 0;
      for (let k = 1; k <= 12; k++) {
        const end = bgnbdExpectedPurchases(CDNOW, x, t_x, T, (k * 365.25) / 12 / 7);
        const start = bgnbdExpectedPurchases(CDNOW, x, t_x, T, ((k - 1) * 365.25) / 12 / 7);
        clv += ((end - start) * spend) / Math.pow(1 + d, k);
      }
      expect(scores.clv[i]).toBeCloseTo(clv, 9);
      expect(scores.expectedSpend[i]).toBe(spend);
      expect(scores.expectedPurchases90d[i]).toBeCloseTo(bgnbdExpectedPurchases(CDNOW, x, t_x, T, 90 / 7), 12);
      expect(scores.expectedPurchases365d[i]).toBeCloseTo(bgnbdExpectedPurchases(CDNOW, x, t_x, T, 365 / 7), 12);
    }
    expect(scores.distinctXT).toBeLessThan(5000);
  });

  it('discounts less at a lower rate, and not at all at 0', () => {
    const none = scoreClv(model, sim, { discount: { monthlyRate: 0 } });
    const some = scoreClv(model, sim, { discount: { monthlyRate: 0.01 } });
    for (const i of [0, 5, 50]) {
      // Undiscounted, the 12 monthly increments add up to E[Y(12 months)] · spend.
      const year = bgnbdExpectedPurchases(CDNOW, sim.x[i], sim.t_x[i], sim.T[i], 365.25 / 7);
      expect(none.clv[i]).toBeCloseTo(year * none.expectedSpend[i], 10);
      expect(some.clv[i]).toBeLessThan(none.clv[i]);
    }
    expect(monthlyRate({ annualRate: 0.1 })).toBeCloseTo(0.00797414, 8);
    expect(() => monthlyRate({ annualRate: -1 })).toThrow(ClvModelError);
  });

  it('scores spend and CLV as NaN without a spend model, and P(alive) all the same', () => {
    const scores = scoreClv({ bgnbd: CDNOW, gammaGamma: null }, { x: sim.x, t_x: sim.t_x, T: sim.T });
    expect(Number.isNaN(scores.clv[0])).toBe(true);
    expect(Number.isNaN(scores.expectedSpend[0])).toBe(true);
    expect(scores.pAlive.every((p) => p > 0 && p <= 1)).toBe(true);
  });
});

describe('degenerate data', () => {
  const base = simulateCustomers(CDNOW, 500, { seed: 9, spend: SPEND });
  type Columns = { x: Float64Array; t_x: Float64Array; T: Float64Array; monetary: Float64Array };
  const columns = (patch: (c: Columns) => void): Columns => {
    const c: Columns = { x: base.x.slice(), t_x: base.t_x.slice(), T: base.T.slice(), monetary: base.monetary!.slice() };
    patch(c);
    return c;
  };
  const error = (f: () => unknown): ClvModelError => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(ClvModelError);
      return e as ClvModelError;
    }
    throw new Error('expected a ClvModelError');
  };

  it('refuses a customer base without repeat buyers', () => {
    const e = error(() => fitClv({ x: new Float64Array(500), t_x: new Float64Array(500), T: new Float64Array(500).fill(20) }));
    expect(e.code).toBe('no_repeat_buyers');
    expect(e.message).toMatch(/None of the 500 customers has bought more than once/);
  });

  it('refuses too few customers or repeat buyers', () => {
    const few = error(() => fitClv({ x: base.x.slice(0, 99), t_x: base.t_x.slice(0, 99), T: base.T.slice(0, 99) }));
    expect(few.code).toBe('too_few_customers');
    expect(few.message).toMatch(/Only 99 customers: .* at least 100/);
    const oneRepeat = columns((c) => {
      c.x.fill(0);
      c.t_x.fill(0);
      c.x[3] = 2;
      c.t_x[3] = 1;
    });
    const e = error(() => fitClv(oneRepeat));
    expect(e.code).toBe('too_few_repeat_buyers');
  });

  it('names the first customer with non-finite, impossible or inconsistent values', () => {
    const cases: [string, (c: Columns) => void, RegExp][] = [
      ['NaN T', (c) => (c.T[42] = NaN), /Customer 42 .*finite/],
      ['infinite x', (c) => (c.x[7] = Infinity), /Customer 7 .*finite/],
      ['t_x > T', (c) => (c.t_x[13] = c.T[13] + 1), /Customer 13 .*t_x .* is after T/],
      ['fractional x', (c) => (c.x[5] = 1.5), /Customer 5 .*whole number/],
      ['negative T', (c) => (c.T[8] = -1), /Customer 8 .*≥ 0/],
      ['recency without repeat', (c) => {
        const i = c.x.findIndex((v) => v === 0);
        c.t_x[i] = 1;
      }, /t_x must be 0 when there is no repeat purchase/],
      ['missing spend of a repeat buyer', (c) => {
        const i = c.x.findIndex((v) => v > 0);
        c.monetary[i] = NaN;
      }, /monetary .* must be a finite number when x > 0/],
    ];
    for (const [, patch, message] of cases) {
      const e = error(() => fitClv(columns(patch)));
      expect(e.code).toBe('invalid_input');
      expect(e.message).toMatch(message);
      expect(e.index).toBeGreaterThanOrEqual(0);
    }
    const e = error(() => fitClv({ x: [1, 2], t_x: [1], T: [3, 4] }));
    expect(e.message).toMatch(/differ in length/);
  });

  it('says when a fit cannot converge or runs off to the edge of the parameter space', () => {
    const nowhere = error(() => fitLogParams('test', ['u'], () => NaN, [[1]]));
    expect(nowhere.code).toBe('not_converged');
    const edge = error(() => fitLogParams('test', ['u'], (th, g) => {
      g[0] = -Math.exp(-th[0]);
      return Math.exp(-th[0]); // decreasing for ever: the "optimum" is u → ∞
    }, [[1]]));
    expect(edge.code).toBe('degenerate_fit');
    expect(edge.message).toMatch(/these data do not identify u/);
  });

  it('keeps the purchase model when the spend model cannot be fitted, with a warning', () => {
    const noSpend = fitClv({ x: base.x, t_x: base.t_x, T: base.T });
    expect(noSpend.gammaGamma).toBeNull();
    expect(noSpend.warnings.map((w) => w.code)).toEqual(['spend_not_modelled']);
    const zeroSpend = fitClv(columns((c) => c.monetary.fill(0)));
    expect(zeroSpend.gammaGamma).toBeNull();
    expect(zeroSpend.warnings.map((w) => w.code)).toEqual(['spend_excluded', 'gamma_gamma_failed']);
  });

  it('scores repeat buyers without a positive spend at the population mean, with a warning', () => {
    const c = columns((c) => {
      const i = c.x.findIndex((v) => v > 0);
      c.monetary[i] = -5;
    });
    const fit: ClvFit = fitClv(c);
    expect(fit.warnings.map((w) => w.code)).toEqual(['spend_excluded']);
    const i = c.x.findIndex((v) => v > 0);
    const scores = scoreClv(fit, c);
    expect(scores.expectedSpend[i]).toBeCloseTo(fit.gammaGamma!.meanSpend, 10);
  });

  it('warns when frequency and spend are correlated', () => {
    const c = columns((c) => {
      for (let i = 0; i < c.x.length; i++) if (c.x[i] > 0) c.monetary[i] *= c.x[i];
    });
    const fit = fitClv(c);
    expect(fit.gammaGamma!.frequencySpendCorrelation).toBeGreaterThan(0.8);
    expect(fit.warnings.map((w) => w.code)).toEqual(['spend_frequency_correlated']);
  });

  it('reports spend without any spread around its frequency trend as a degenerate spend fit', () => {
    // Every customer's mean spend exactly 10 + 5x: no heterogeneity for the Gamma mixing law to describe.
    const c = columns((c) => {
      for (let i = 0; i < c.x.length; i++) if (c.x[i] > 0) c.monetary[i] = 10 + 5 * c.x[i];
    });
    const fit = fitClv(c);
    expect(fit.gammaGamma).toBeNull();
    expect(fit.warnings[0].code).toBe('gamma_gamma_failed');
    expect(fit.warnings[0].message).toMatch(/runs off to the edge of the parameter space/);
  });
});
