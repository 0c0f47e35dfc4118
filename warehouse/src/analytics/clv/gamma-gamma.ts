// Gamma-Gamma spend model — Fader, Hardie & Lee (2005), "RFM and CLV: Using Iso-Value Curves for Customer Base
// Analysis", JMR 42(4), and Fader & Hardie (2013), "The Gamma-Gamma Model of Monetary Value" (note 025).
// Each purchase value z ~ Gamma(p, ν), the customer's scale ν ~ Gamma(q, γ) across customers, independent of the
// purchase process. Fitted on repeat buyers only: x repeat purchases with mean value m_x.
import { ClvModelError } from './errors.ts';
import { pick } from './customers.ts';
import { fitLogParams, subsampleIndices } from './fit.ts';
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
  /** Likelihood evaluations on the subsample that located the optimum (0 below 200,000 repeat buyers). */
  subsampleEvaluations: number;
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
export function fitGammaGamma(x: Float64Array, m: Float64Array, opts: { minCustomers?: number; subsampleCustomers?: number } = {}): GammaGammaFit {
  const minCustomers = opts.minCustomers ?? MIN_SPEND_CUSTOMERS;
  const data = new SpendObjective(x, m);
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
  const sample = subsampleIndices(data.customers, opts.subsampleCustomers) && subsampleIndices(x.length, opts.subsampleCustomers);
  const coarse = sample ? new SpendObjective(pick(x, sample), pick(m, sample)) : null;
  const fit = fitLogParams(
    'spend (Gamma-Gamma)',
    ['p', 'q', 'gamma'],
    (th, g) => data.evaluate(th, g),
    starts,
    coarse ? (th, g) => coarse.evaluate(th, g) : undefined,
  );
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
    subsampleEvaluations: fit.subsampleEvaluations,
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
  return new SpendObjective(x, m).correlation();
}

const BLOCK = 512;

/**
 * −ln L / N of the usable repeat buyers (x > 0, m > 0) and its gradient in θ = ln(p, q, γ). Log-gammas and digammas
 * depend on x only and are computed once per distinct x; a customer costs one log and one division. Unlike the
 * BG/NBD patterns these are not grouped: m_x is continuous, so almost every customer is a pattern of her own.
 */
export class SpendObjective {
  readonly customers: number;
  readonly meanSpend: number;
  private readonly xOf: Float64Array;
  private readonly mOf: Float64Array;
  private readonly xs: Float64Array;
  private readonly weightOfX: Float64Array;
  /** Σ x ln m, Σ ln m and Σ x ln x: the data-only parts of ln L. */
  private readonly sumXLnM: number;
  private readonly sumLnM: number;
  private readonly sumXLnX: number;

  constructor(x: Float64Array, m: Float64Array) {
    const n = x.length;
    let count = 0;
    for (let i = 0; i < n; i++) if (x[i] > 0 && m[i] > 0) count++;
    this.xOf = new Float64Array(count);
    this.mOf = new Float64Array(count);
    let spend = 0;
    for (let i = 0, k = 0; i < n; i++) {
      if (!(x[i] > 0 && m[i] > 0)) continue;
      this.xOf[k] = x[i];
      this.mOf[k++] = m[i];
      spend += m[i];
    }
    this.customers = count;
    this.meanSpend = spend / Math.max(count, 1);
    const xIndex = new ValueIndex(64);
    const xId = xIndex.ids(this.xOf, new Int32Array(count));
    this.xs = xIndex.values();
    this.weightOfX = new Float64Array(this.xs.length);
    for (let k = 0; k < count; k++) this.weightOfX[xId[k]]++;
    let sxlm = 0, slm = 0;
    for (let k = 0; k < count; k++) {
      const lm = Math.log(this.mOf[k]);
      sxlm += this.xOf[k] * lm;
      slm += lm;
    }
    let sxlx = 0;
    for (let k = 0; k < this.xs.length; k++) sxlx += this.weightOfX[k] * this.xs[k] * Math.log(this.xs[k]);
    this.sumXLnM = sxlm;
    this.sumLnM = slm;
    this.sumXLnX = sxlx;
  }

  evaluate(theta: Float64Array, grad: Float64Array): number {
    const p = Math.exp(theta[0]), q = Math.exp(theta[1]), gamma = Math.exp(theta[2]);
    const { xs, weightOfX, xOf, mOf } = this;
    const size = this.customers;
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
    for (let start = 0; start < size; start += BLOCK) {
      // Block sums keep the rounding near 1e-15 of the total (see BgNbdObjective).
      const end = Math.min(size, start + BLOCK);
      let bx = 0, b0 = 0, c1 = 0, c0 = 0;
      for (let i = start; i < end; i++) {
        const x = xOf[i];
        const u = gamma + mOf[i] * x;
        const l = Math.log(u);
        bx += x * l;
        b0 += l;
        const inv = 1 / u;
        c1 += inv * x;
        c0 += inv;
      }
      sx += bx;
      s0 += b0;
      r1 += c1;
      r0 += c0;
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
    const { xOf, mOf } = this;
    const w = this.customers;
    let sx = 0, sm = 0;
    for (let i = 0; i < w; i++) {
      sx += xOf[i];
      sm += mOf[i];
    }
    const mx = sx / w, mm = sm / w;
    let cxx = 0, cmm = 0, cxm = 0;
    for (let i = 0; i < w; i++) {
      const dx = xOf[i] - mx, dm = mOf[i] - mm;
      cxx += dx * dx;
      cmm += dm * dm;
      cxm += dx * dm;
    }
    return cxm / Math.sqrt(cxx * cmm);
  }
}
