// Gamma-Gamma spend model — Fader, Hardie & Lee (2005), "RFM and CLV: Using Iso-Value Curves for Customer Base
// Analysis", JMR 42(4), and Fader & Hardie (2013), "The Gamma-Gamma Model of Monetary Value" (note 025).
// Each purchase value z ~ Gamma(p, ν), the customer's scale ν ~ Gamma(q, γ) across customers, independent of the
// purchase process. Fitted on repeat buyers only: x repeat purchases with mean value m_x.
import { ClvModelError } from './errors.ts';
import { fitLogParams } from './fit.ts';
import { digamma, lgamma } from './special.ts';
import { ValueIndex } from './value-index.ts';

export interface GammaGammaParams {
  p: number;
  q: number;
  gamma: number;
}

export interface GammaGammaFit extends GammaGammaParams {
  logLik: number;
  iterations: number;
  evaluations: number;
  /** Repeat buyers the model was fitted on. */
  customers: number;
  /** Pearson correlation of x and m_x over those customers; the model assumes they are independent. */
  frequencySpendCorrelation: number;
  /** Population mean spend per purchase, pγ/(q−1): the expectation for a customer without repeat purchases. */
  meanSpend: number;
}

/** Below this many repeat buyers the three spend parameters are too poorly determined (see README). */
export const MIN_SPEND_CUSTOMERS = 10;

/**
 * ln L for one repeat buyer (x ≥ 1 repeat purchases of mean value m), as in BTYD's spend.LL and lifetimes:
 *   ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ + (px−1) ln m + px ln x − (px+q) ln(γ + m x)
 */
export function gammaGammaLogLikelihood({ p, q, gamma }: GammaGammaParams, x: number, m: number): number {
  const px = p * x;
  return lgamma(px + q) - lgamma(px) - lgamma(q) + q * Math.log(gamma) + (px - 1) * Math.log(m) + px * Math.log(x) - (px + q) * Math.log(gamma + m * x);
}

/**
 * Maximum-likelihood fit of p, q, γ on customers with x > 0 and m > 0 (others are skipped: the caller counts them).
 * Throws ClvModelError below MIN_SPEND_CUSTOMERS such customers, when the fit does not converge, or when q ≤ 1
 * (the mean spend pγ/(q−1) would be infinite).
 */
export function fitGammaGamma(x: Float64Array, m: Float64Array, opts: { minCustomers?: number } = {}): GammaGammaFit {
  const minCustomers = opts.minCustomers ?? MIN_SPEND_CUSTOMERS;
  const data = new SpendPatterns(x, m);
  if (data.customers < minCustomers) {
    throw new ClvModelError(
      'too_few_repeat_buyers',
      `Only ${data.customers} customers have repeat purchases with a positive value: the spend model needs at least ${minCustomers}.`,
    );
  }
  // Start where the population mean pγ/(q−1) equals the observed mean spend, at a few shapes.
  const mean = data.meanSpend;
  const starts = [
    [1, 2, mean],
    [5, 3, (mean * 2) / 5],
    [2, 5, mean * 2],
    [10, 10, mean * 0.9],
  ];
  const fit = fitLogParams('spend (Gamma-Gamma)', ['p', 'q', 'gamma'], (th, g) => data.evaluate(th, g), starts);
  const [p, q, gamma] = fit.params;
  if (!(q > 1)) {
    throw new ClvModelError(
      'degenerate_fit',
      `The spend model's fit gives q = ${q.toPrecision(3)} ≤ 1, so the average spend of a customer has no finite mean: spend is too heavy-tailed for this model.`,
    );
  }
  return {
    p, q, gamma,
    logLik: -fit.f * data.customers,
    iterations: fit.iterations,
    evaluations: fit.evaluations,
    customers: data.customers,
    frequencySpendCorrelation: data.correlation(),
    meanSpend: (p * gamma) / (q - 1),
  };
}

/**
 * E[M | p, q, γ, m_x, x] = (γ + m_x x) p / (p x + q − 1): a weighted mean of the population mean pγ/(q−1) and the
 * customer's own mean m_x, with weight p x / (p x + q − 1) on the latter. For x = 0 (or no usable m_x) it is the
 * population mean.
 */
export function gammaGammaExpectedSpend({ p, q, gamma }: GammaGammaParams, x: number, m: number): number {
  if (!(x > 0 && m > 0)) return (p * gamma) / (q - 1);
  return ((gamma + m * x) * p) / (p * x + q - 1);
}

/** Pearson correlation of frequency and mean spend over customers with x > 0 and m > 0 (NaN if either is constant). */
export function frequencySpendCorrelation(x: Float64Array, m: Float64Array): number {
  return new SpendPatterns(x, m).correlation();
}

/**
 * Repeat buyers grouped by identical (x, m_x), with −ln L / N and its gradient in θ = ln(p, q, γ). Log-gammas and
 * digammas depend on x only and are computed once per distinct x; a pattern costs one log and one division.
 */
export class SpendPatterns {
  readonly customers: number;
  readonly meanSpend: number;
  private readonly size: number;
  private readonly weight: Float64Array;
  private readonly xOf: Float64Array;
  private readonly mOf: Float64Array;
  private readonly xId: Int32Array;
  private readonly xs: Float64Array;
  private readonly weightOfX: Float64Array;
  /** Σ w x ln m and Σ w ln m: the parts of ln L that do not depend on the parameters' interaction with data. */
  private readonly sumXLnM: number;
  private readonly sumLnM: number;
  private readonly sumXLnX: number;

  constructor(x: Float64Array, m: Float64Array) {
    const n = x.length;
    const xIndex = new ValueIndex(64), mIndex = new ValueIndex(1024), pairs = new ValueIndex(1024);
    const ids = new Int32Array(n).fill(-1);
    for (let i = 0; i < n; i++) {
      if (!(x[i] > 0 && m[i] > 0)) continue;
      ids[i] = pairs.id(xIndex.id(x[i]) * n + mIndex.id(m[i]));
    }
    this.size = pairs.size;
    this.weight = new Float64Array(this.size);
    this.xOf = new Float64Array(this.size);
    this.mOf = new Float64Array(this.size);
    let total = 0, spend = 0;
    for (let i = 0; i < n; i++) {
      const k = ids[i];
      if (k < 0) continue;
      this.weight[k]++;
      this.xOf[k] = x[i];
      this.mOf[k] = m[i];
      total++;
      spend += m[i];
    }
    this.customers = total;
    this.meanSpend = spend / Math.max(total, 1);
    this.xs = xIndex.values();
    this.xId = new Int32Array(this.size);
    this.weightOfX = new Float64Array(this.xs.length);
    const idOfX = new Map<number, number>();
    this.xs.forEach((v, k) => idOfX.set(v, k));
    let sxlm = 0, slm = 0, sxlx = 0;
    for (let k = 0; k < this.size; k++) {
      const w = this.weight[k], xv = this.xOf[k], lm = Math.log(this.mOf[k]);
      this.xId[k] = idOfX.get(xv)!;
      this.weightOfX[this.xId[k]] += w;
      sxlm += w * xv * lm;
      slm += w * lm;
      sxlx += w * xv * Math.log(xv);
    }
    this.sumXLnM = sxlm;
    this.sumLnM = slm;
    this.sumXLnX = sxlx;
  }

  evaluate(theta: Float64Array, grad: Float64Array): number {
    const p = Math.exp(theta[0]), q = Math.exp(theta[1]), gamma = Math.exp(theta[2]);
    const { xs, weightOfX, size, weight, xOf, mOf } = this;
    const lnGamma = Math.log(gamma), lgq = lgamma(q), psiQ = digamma(q);
    let ll = 0, dp = 0, dq = 0;
    for (let k = 0; k < xs.length; k++) {
      const w = weightOfX[k], x = xs[k], px = p * x;
      const psiPxQ = digamma(px + q);
      ll += w * (lgamma(px + q) - lgamma(px) - lgq + q * lnGamma);
      dp += w * x * (psiPxQ - digamma(px));
      dq += w * (psiPxQ - psiQ + lnGamma);
    }
    ll += p * this.sumXLnM - this.sumLnM + p * this.sumXLnX;
    dp += this.sumXLnM + this.sumXLnX;
    // Σ w (px+q) ln(γ + m x) and its derivatives: the only per-pattern work.
    let sx = 0, s0 = 0, r1 = 0, r0 = 0;
    for (let i = 0; i < size; i++) {
      const w = weight[i], x = xOf[i];
      const u = gamma + mOf[i] * x;
      const l = Math.log(u);
      sx += w * x * l;
      s0 += w * l;
      const inv = w / u;
      r1 += inv * x;
      r0 += inv;
    }
    ll -= p * sx + q * s0;
    dp -= sx;
    dq -= s0;
    const W = this.customers;
    const dgamma = (W * q) / gamma - (p * r1 + q * r0);
    grad[0] = (-p * dp) / W;
    grad[1] = (-q * dq) / W;
    grad[2] = (-gamma * dgamma) / W;
    return -ll / W;
  }

  correlation(): number {
    const { size, weight, xOf, mOf } = this;
    let w = 0, sx = 0, sm = 0;
    for (let i = 0; i < size; i++) {
      w += weight[i];
      sx += weight[i] * xOf[i];
      sm += weight[i] * mOf[i];
    }
    const mx = sx / w, mm = sm / w;
    let cxx = 0, cmm = 0, cxm = 0;
    for (let i = 0; i < size; i++) {
      const dx = xOf[i] - mx, dm = mOf[i] - mm;
      cxx += weight[i] * dx * dx;
      cmm += weight[i] * dm * dm;
      cxm += weight[i] * dx * dm;
    }
    return cxm / Math.sqrt(cxx * cmm);
  }
}
