// BG/NBD — Fader, Hardie & Lee (2005), "Counting Your Customers the Easy Way: An Alternative to the Pareto/NBD
// Model", Marketing Science 24(2). While alive a customer buys as a Poisson process with rate λ ~ Gamma(r, α);
// after each purchase she drops out with probability p ~ Beta(a, b). Time is in weeks throughout.
import { groupPatterns, pick, type Patterns } from './customers.ts';
import { ClvModelError } from './errors.ts';
import { fitLogParams, subsampleIndices } from './fit.ts';
import { digamma, hyp2f1, hyp2f1SeriesMany, lgamma } from './special.ts';

export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

export interface BgNbdFit extends BgNbdParams {
  logLik: number;
  iterations: number;
  /** Likelihood evaluations (each one pass over the distinct patterns). */
  evaluations: number;
  /** Likelihood evaluations on the subsample that located the optimum (0 below 200,000 customers). */
  subsampleEvaluations: number;
  customers: number;
  repeatBuyers: number;
  /** Distinct (x, t_x, T) patterns: the cost of one likelihood evaluation. */
  patterns: number;
}

/** Below these the four parameters are too poorly determined to act on (see README). */
export const MIN_CUSTOMERS = 100;
export const MIN_REPEAT_BUYERS = 10;

/**
 * ln L for one customer (eq. 6 of the paper, in the log form used by lifetimes / BTYD):
 *   L = B(a, b+x)/B(a, b) · Γ(r+x) α^r / (Γ(r) (α+T)^(r+x))
 *     + [x > 0] · B(a+1, b+x−1)/B(a, b) · Γ(r+x) α^r / (Γ(r) (α+t_x)^(r+x))
 */
export function bgnbdLogLikelihood({ r, alpha, a, b }: BgNbdParams, x: number, t_x: number, T: number): number {
  const common = lgamma(r + x) - lgamma(r) + r * Math.log(alpha) + lgamma(a + b) + lgamma(b + x) - lgamma(b) - lgamma(a + b + x);
  const a3 = -(r + x) * Math.log(alpha + T);
  if (x === 0) return common + a3;
  const a4 = Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(alpha + t_x);
  return common + logAddExp(a3, a4);
}

/** Total log-likelihood of many customers, grouped into patterns. */
export function bgnbdTotalLogLikelihood(params: BgNbdParams, x: Float64Array, t_x: Float64Array, T: Float64Array): number {
  const objective = new BgNbdObjective(groupPatterns(x, t_x, T));
  const theta = Float64Array.of(Math.log(params.r), Math.log(params.alpha), Math.log(params.a), Math.log(params.b));
  return -objective.evaluate(theta, new Float64Array(4)) * objective.customers;
}

/**
 * Maximum-likelihood fit of r, α, a, b. Throws ClvModelError when there are fewer than MIN_CUSTOMERS customers or
 * MIN_REPEAT_BUYERS repeat buyers, or when the likelihood has no interior maximum. Inputs must be valid
 * (see customerArrays).
 */
export function fitBgNbd(
  x: Float64Array,
  t_x: Float64Array,
  T: Float64Array,
  opts: { minCustomers?: number; minRepeatBuyers?: number; subsampleCustomers?: number } = {},
): BgNbdFit {
  const minCustomers = opts.minCustomers ?? MIN_CUSTOMERS;
  const minRepeat = opts.minRepeatBuyers ?? MIN_REPEAT_BUYERS;
  const n = x.length;
  let repeatBuyers = 0, sumX = 0, sumT = 0;
  for (let i = 0; i < n; i++) {
    if (x[i] > 0) repeatBuyers++;
    sumX += x[i];
    sumT += T[i];
  }
  if (n < minCustomers) {
    throw new ClvModelError('too_few_customers', `Only ${n} customers: the purchase model needs at least ${minCustomers} to estimate its four parameters.`);
  }
  if (repeatBuyers === 0) {
    throw new ClvModelError('no_repeat_buyers', `None of the ${n} customers has bought more than once: repeat-purchase rates cannot be estimated.`);
  }
  if (repeatBuyers < minRepeat) {
    throw new ClvModelError('too_few_repeat_buyers', `Only ${repeatBuyers} of ${n} customers bought more than once: the purchase model needs at least ${minRepeat}.`);
  }
  if (!(sumT > 0)) {
    throw new ClvModelError('invalid_input', 'Every customer has T = 0: there is no observation time to learn from.');
  }
  const patterns = groupPatterns(x, t_x, T);
  const objective = new BgNbdObjective(patterns);
  // α is a time scale: start it where r/α matches the observed repeat rate, at a few shapes of the mixing laws.
  const rate = sumX / sumT;
  const starts = [
    [1, 1 / rate, 1, 1],
    [0.5, 0.5 / rate, 1, 3],
    [0.25, 0.25 / rate, 0.5, 2],
    [2, 2 / rate, 2, 5],
    [1, 1 / rate, 3, 10],
  ];
  const sample = subsampleIndices(n, opts.subsampleCustomers);
  const coarse = sample ? new BgNbdObjective(groupPatterns(pick(x, sample), pick(t_x, sample), pick(T, sample))) : null;
  const fit = fitLogParams(
    'purchase (BG/NBD)',
    ['r', 'alpha', 'a', 'b'],
    (th, g) => objective.evaluate(th, g),
    starts,
    coarse ? (th, g) => coarse.evaluate(th, g) : undefined,
  );
  const [r, alpha, a, b] = fit.params;
  return {
    r, alpha, a, b,
    logLik: -fit.f * objective.customers,
    iterations: fit.iterations,
    evaluations: fit.evaluations,
    subsampleEvaluations: fit.subsampleEvaluations,
    customers: n,
    repeatBuyers,
    patterns: patterns.size,
  };
}

/**
 * −ln L / N and its gradient in θ = ln(r, α, a, b), as a weighted sum over distinct patterns. Everything that
 * depends on x alone (log-gammas, digammas) is computed once per distinct x, ln(α+T) once per distinct T and
 * ln(α+t_x) once per distinct t_x, so a pattern costs one exp and one log1p.
 */
const BLOCK = 512;

export class BgNbdObjective {
  readonly customers: number;
  private readonly weightOfX: Float64Array;
  private readonly cx: Float64Array;
  private readonly lbx1: Float64Array;
  private readonly ibx1: Float64Array;
  private readonly lT: Float64Array;
  private readonly iT: Float64Array;
  private readonly lTx: Float64Array;
  private readonly iTx: Float64Array;

  constructor(private readonly p: Patterns) {
    let w = 0;
    this.weightOfX = new Float64Array(p.xs.length);
    for (let i = 0; i < p.size; i++) {
      w += p.weight[i];
      this.weightOfX[p.xId[i]] += p.weight[i];
    }
    this.customers = w;
    const nx = p.xs.length;
    this.cx = new Float64Array(nx);
    this.lbx1 = new Float64Array(nx);
    this.ibx1 = new Float64Array(nx);
    this.lT = new Float64Array(p.Ts.length);
    this.iT = new Float64Array(p.Ts.length);
    this.lTx = new Float64Array(p.txs.length);
    this.iTx = new Float64Array(p.txs.length);
  }

  evaluate(theta: Float64Array, grad: Float64Array): number {
    const r = Math.exp(theta[0]), alpha = Math.exp(theta[1]), a = Math.exp(theta[2]), b = Math.exp(theta[3]);
    const { xs, Ts, txs, size, weight, xId, TId, txId } = this.p;
    const { cx, lbx1, ibx1, lT, iT, lTx, iTx, weightOfX } = this;
    const lnAlpha = Math.log(alpha), lna = Math.log(a);
    const base = -lgamma(r) + r * lnAlpha + lgamma(a + b) - lgamma(b);
    const psiR = digamma(r), psiAB = digamma(a + b), psiB = digamma(b);
    // Parts of the gradient that depend on x only, summed with the number of customers at each x.
    let gr = 0, ga = 0, gb = 0;
    for (let k = 0; k < xs.length; k++) {
      const x = xs[k], w = weightOfX[k];
      cx[k] = base + lgamma(r + x) + lgamma(b + x) - lgamma(a + b + x);
      lbx1[k] = Math.log(b + x - 1);
      ibx1[k] = 1 / (b + x - 1);
      const psiABX = digamma(a + b + x);
      gr += w * (digamma(r + x) - psiR + lnAlpha);
      ga += w * (psiAB - psiABX);
      gb += w * (psiAB + digamma(b + x) - psiB - psiABX);
    }
    for (let k = 0; k < Ts.length; k++) {
      lT[k] = Math.log(alpha + Ts[k]);
      iT[k] = 1 / (alpha + Ts[k]);
    }
    for (let k = 0; k < txs.length; k++) {
      lTx[k] = Math.log(alpha + txs[k]);
      iTx[k] = 1 / (alpha + txs[k]);
    }
    // Summed in blocks (plain sums inside a block, then block totals) so that rounding stays near 1e-15 of the
    // total even over a million patterns: the optimiser's line search relies on f being that precise.
    let ll = 0, sr = 0, sAlpha = 0, sa = 0, sb = 0;
    for (let start = 0; start < size; start += BLOCK) {
      const end = Math.min(size, start + BLOCK);
      let bll = 0, bsr = 0, bAlpha = 0, bsa = 0, bsb = 0;
      for (let i = start; i < end; i++) {
        const w = weight[i], k = xId[i], x = xs[k], rx = r + x;
        const lt = lT[TId[i]];
        if (x === 0) {
          bll += w * (cx[k] - rx * lt);
          bsr += w * lt;
          bAlpha += w * rx * iT[TId[i]];
          continue;
        }
        const j = txId[i];
        const ltx = lTx[j];
        // ln L = cx − (r+x) ln(α+T) + ln(1 + e^d), d = ln a − ln(b+x−1) + (r+x)(ln(α+T) − ln(α+t_x))
        const d = lna - lbx1[k] + rx * (lt - ltx);
        let pi: number; // share of the "dropped out after the last purchase" term in L
        if (d > 0) {
          const e = Math.exp(-d);
          bll += w * (cx[k] - rx * lt + d + Math.log1p(e));
          pi = 1 / (1 + e);
        } else {
          const e = Math.exp(d);
          bll += w * (cx[k] - rx * lt + Math.log1p(e));
          pi = e / (1 + e);
        }
        const q = 1 - pi;
        bsr += w * (q * lt + pi * ltx);
        bAlpha += w * rx * (q * iT[TId[i]] + pi * iTx[j]);
        bsa += w * pi;
        bsb += w * pi * ibx1[k];
      }
      ll += bll;
      sr += bsr;
      sAlpha += bAlpha;
      sa += bsa;
      sb += bsb;
    }
    const W = this.customers;
    // ∂lnL/∂θ = parameter · ∂lnL/∂parameter; the objective is −lnL / W.
    grad[0] = (-r * (gr - sr)) / W;
    grad[1] = (-alpha * ((W * r) / alpha - sAlpha)) / W;
    grad[2] = (-a * (ga + sa / a)) / W;
    grad[3] = (-b * (gb - sb)) / W;
    return -ll / W;
  }
}

function logAddExp(u: number, v: number) {
  return u > v ? u + Math.log1p(Math.exp(v - u)) : v + Math.log1p(Math.exp(u - v));
}

/**
 * P(alive | x, t_x, T) = 1 / (1 + [x > 0] · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x))   (eq. 11 of the paper).
 */
export function bgnbdPAlive({ r, alpha, a, b }: BgNbdParams, x: number, t_x: number, T: number): number {
  if (x === 0) return 1;
  return 1 / (1 + (a / (b + x - 1)) * Math.pow((alpha + T) / (alpha + t_x), r + x));
}

/**
 * E[Y(t) | x, t_x, T], the expected purchases in the next t weeks (eq. 10 of the paper):
 *   E = P(alive | x, t_x, T) · G(x, T, t), with
 *   G(x, T, t) = (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) · 2F1(r+x, b+x; a+b+x−1; t/(α+T+t))],
 * the purchases expected of a customer known to be alive (see bgnbdExpectedIfAlive).
 */
export function bgnbdExpectedPurchases(params: BgNbdParams, x: number, t_x: number, T: number, t: number): number {
  return bgnbdPAlive(params, x, t_x, T) * bgnbdExpectedIfAlive(params, x, T, t);
}

/** E[X(t)], the purchases expected of a new customer in her first t weeks (eq. 9 of the paper) = G(0, 0, t). */
export function bgnbdExpectedPurchasesNew(params: BgNbdParams, t: number): number {
  return bgnbdExpectedIfAlive(params, 0, 0, t);
}

/** Within this distance of a = 1, G(x, T, t) (a 0/0 form there) is the mean of its values at a = 1 ± A_ONE_STEP. */
const A_ONE_GAP = 1e-5;
const A_ONE_STEP = 1e-4;

/**
 * G(x, T, t) = E[Y(t) | x, t_x, T] / P(alive), which depends on x and T but not on t_x. With z = t/(α+T+t) and
 * c = a+b+x−1, the bracket (1−z)^(r+x) 2F1(r+x, b+x; c; z) equals (1−z)^(a−1) 2F1(a+b−1−r, a−1; c; z) by Euler's
 * transformation; we sum whichever series has the larger c − A − B, so its terms shrink (no overflow near z = 1).
 */
export function bgnbdExpectedIfAlive(params: BgNbdParams, x: number, T: number, t: number): number {
  const out = new Float64Array(1);
  bgnbdExpectedIfAliveMany(params, x, T, Float64Array.of(t), out);
  return out[0];
}

/** G(x, T, t) at several horizons at once (one pass over the series): out[k] = G(x, T, ts[k]). */
export function bgnbdExpectedIfAliveMany(params: BgNbdParams, x: number, T: number, ts: Float64Array, out: Float64Array, scratch?: Float64Array): void {
  const { a } = params;
  if (Math.abs(a - 1) < A_ONE_GAP) {
    const hi = new Float64Array(ts.length);
    expectedIfAliveMany({ ...params, a: 1 - A_ONE_STEP }, x, T, ts, out, scratch);
    expectedIfAliveMany({ ...params, a: 1 + A_ONE_STEP }, x, T, ts, hi, scratch);
    for (let k = 0; k < ts.length; k++) out[k] = 0.5 * (out[k] + hi[k]);
    return;
  }
  expectedIfAliveMany(params, x, T, ts, out, scratch);
}

function expectedIfAliveMany({ r, alpha, a, b }: BgNbdParams, x: number, T: number, ts: Float64Array, out: Float64Array, scratch?: Float64Array) {
  const m = ts.length;
  const work = scratch && scratch.length >= 3 * m ? scratch : new Float64Array(3 * m);
  const zs = work.subarray(0, m), f = work.subarray(m, 2 * m), powers = work.subarray(2 * m, 3 * m);
  const c = a + b + x - 1;
  if (c <= 0 && c === Math.floor(c)) {
    throw new ClvModelError('degenerate_fit', `The purchase model's parameters (a + b + x − 1 = ${c}) make the expected purchases undefined.`);
  }
  const euler = x + r + 1 - a >= a - 1 - r - x;
  const e = euler ? a - 1 : r + x;
  const A = euler ? a + b - 1 - r : r + x;
  const B = euler ? a - 1 : b + x;
  const scale = (a + b + x - 1) / (a - 1);
  for (let k = 0; k < m; k++) {
    if (!(ts[k] >= 0)) throw new RangeError(`horizon t must be ≥ 0 weeks (got ${ts[k]})`);
    zs[k] = ts[k] / (alpha + T + ts[k]);
  }
  hyp2f1SeriesMany(A, B, c, zs, f, powers);
  for (let k = 0; k < m; k++) {
    if (ts[k] === 0) {
      out[k] = 0;
      continue;
    }
    const oneMinusZ = (alpha + T) / (alpha + T + ts[k]);
    out[k] = scale * (1 - Math.pow(oneMinusZ, e) * f[k]);
  }
}

/** The scalar 2F1 route to G, kept as an independent check of the multi-horizon one in the tests. */
export function bgnbdExpectedIfAliveDirect({ r, alpha, a, b }: BgNbdParams, x: number, T: number, t: number): number {
  const z = t / (alpha + T + t);
  return ((a + b + x - 1) / (a - 1)) * (1 - Math.pow((alpha + T) / (alpha + T + t), r + x) * hyp2f1(r + x, b + x, a + b + x - 1, z));
}
