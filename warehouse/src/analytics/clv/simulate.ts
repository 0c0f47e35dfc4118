// Customers drawn from the BG/NBD and Gamma-Gamma processes themselves, with a seeded generator: for parameter
// recovery tests and the 1 M-customer benchmark. Times are whole days, as the warehouse computes them.
import { Rng } from '@scrm/fixtures/random';
import type { BgNbdParams } from './bgnbd.ts';
import type { GammaGammaParams } from './gamma-gamma.ts';

export interface SimulateOptions {
  seed?: number;
  /** First purchases fall uniformly on days 0 … cohortDays − 1. */
  cohortDays?: number;
  /** The calibration period ends at the end of this day (≥ cohortDays). */
  calibrationDays?: number;
  /** When given, each purchase's value is drawn from the Gamma-Gamma model and m_x is the mean repeat value. */
  spend?: GammaGammaParams;
}

export interface SimulatedCustomers {
  x: Float64Array;
  t_x: Float64Array;
  T: Float64Array;
  /** Mean repeat purchase value (NaN for x = 0); null without `spend`. */
  monetary: Float64Array | null;
}

/**
 * Per customer: λ ~ Gamma(r, rate α) purchases a week and p ~ Beta(a, b). After the first purchase the customer
 * buys at rate λ and, after each repeat purchase, drops out with probability p. Purchase times are cut to whole
 * days (two purchases on one day stay two purchases: at CDNOW-like rates that happens for ~0.1 % of them).
 */
export function simulateCustomers({ r, alpha, a, b }: BgNbdParams, n: number, opts: SimulateOptions = {}): SimulatedCustomers {
  const rng = new Rng(opts.seed ?? 1);
  const cohortDays = opts.cohortDays ?? 84;
  const calibrationDays = opts.calibrationDays ?? 273;
  const x = new Float64Array(n), t_x = new Float64Array(n), T = new Float64Array(n);
  const monetary = opts.spend ? new Float64Array(n) : null;
  for (let i = 0; i < n; i++) {
    const first = Math.floor(rng.next() * cohortDays);
    const ageDays = calibrationDays - 1 - first;
    const age = ageDays / 7;
    const lambda = rng.gamma(r, 1 / alpha);
    const ga = rng.gamma(a), gb = rng.gamma(b);
    const p = ga / (ga + gb);
    let t = 0, count = 0, last = 0;
    for (;;) {
      t += rng.exponential(1 / lambda);
      if (!(t <= age)) break;
      count++;
      last = t;
      if (rng.next() < p) break;
    }
    x[i] = count;
    t_x[i] = count > 0 ? Math.min(Math.floor(last * 7), ageDays) / 7 : 0;
    T[i] = age;
    if (monetary && opts.spend) {
      // ν ~ Gamma(q, rate γ); the mean of x values ~ Gamma(p, rate ν) is Gamma(p x, rate ν x).
      const nu = rng.gamma(opts.spend.q, 1 / opts.spend.gamma);
      monetary[i] = count > 0 ? rng.gamma(opts.spend.p * count, 1 / (nu * count)) : NaN;
    }
  }
  return { x, t_x, T, monetary };
}
