// The API the warehouse calls: fit both models on a customer base, then score every customer — P(alive), expected
// purchases over 90 and 365 days, expected spend per purchase and the discounted 12-month CLV. Typed arrays in and
// out; everything that depends on (x, T) only is computed once per distinct (x, T).
import { bgnbdExpectedIfAliveMany, bgnbdPAlive, fitBgNbd, type BgNbdFit, type BgNbdParams } from './bgnbd.ts';
import { customerArrays, type ClvCustomers } from './customers.ts';
import { ClvModelError, type ClvWarning } from './errors.ts';
import { fitGammaGamma, gammaGammaExpectedSpend, type GammaGammaFit, type GammaGammaParams } from './gamma-gamma.ts';
import { pairIds, ValueIndex } from './value-index.ts';

export const DAYS_PER_WEEK = 7;
/** A month is a twelfth of a mean Gregorian year: 365.25 / 12 = 30.4375 days. */
export const DAYS_PER_MONTH = 365.25 / 12;
/** Above this |ρ| between frequency and mean spend, the Gamma-Gamma independence assumption is doubtful. */
export const CORRELATION_WARNING = 0.3;
export const DEFAULT_ANNUAL_DISCOUNT_RATE = 0.1;

export interface FitClvOptions {
  /** Least customers for the purchase model (default MIN_CUSTOMERS = 100). */
  minCustomers?: number;
  /** Least repeat buyers for either model (default 10). */
  minRepeatBuyers?: number;
  /** |ρ(x, m_x)| at or above which a warning is added (default 0.3). */
  correlationWarning?: number;
  /** Customers in the subsample that locates the optimum on large bases (default 100,000; see fit.ts). */
  subsampleCustomers?: number;
}

export interface ClvFit {
  bgnbd: BgNbdFit;
  /** null when no monetary values were given or the spend model could not be fitted (see warnings). */
  gammaGamma: GammaGammaFit | null;
  warnings: ClvWarning[];
  fitMs: number;
}

/**
 * Fits BG/NBD on every customer and, when monetary values are given, Gamma-Gamma on the repeat buyers with a
 * positive mean spend. Throws ClvModelError when the purchase model cannot be fitted; a spend model that cannot
 * be fitted leaves gammaGamma null with a warning, so P(alive) and expected purchases can still be published.
 */
export function fitClv(customers: ClvCustomers, options: FitClvOptions = {}): ClvFit {
  const t0 = performance.now();
  const c = customerArrays(customers);
  const bgnbd = fitBgNbd(c.x, c.t_x, c.T, {
    minCustomers: options.minCustomers,
    minRepeatBuyers: options.minRepeatBuyers,
    subsampleCustomers: options.subsampleCustomers,
  });
  const warnings: ClvWarning[] = [];
  let gammaGamma: GammaGammaFit | null = null;
  if (!c.monetary) {
    warnings.push({ code: 'spend_not_modelled', message: 'No monetary values were given: expected spend and CLV are not predicted.' });
  } else {
    let excluded = 0;
    for (let i = 0; i < c.n; i++) if (c.x[i] > 0 && !(c.monetary[i] > 0)) excluded++;
    if (excluded > 0) {
      warnings.push({
        code: 'spend_excluded',
        message: `${excluded} repeat buyers have a mean repeat purchase value ≤ 0; the spend model ignores them and predicts the population mean spend for them.`,
      });
    }
    try {
      gammaGamma = fitGammaGamma(c.x, c.monetary, { minCustomers: options.minRepeatBuyers, subsampleCustomers: options.subsampleCustomers });
    } catch (e) {
      if (!(e instanceof ClvModelError)) throw e;
      warnings.push({ code: 'gamma_gamma_failed', message: `${e.message} Expected spend and CLV are not predicted.` });
    }
    const limit = options.correlationWarning ?? CORRELATION_WARNING;
    if (gammaGamma && Math.abs(gammaGamma.frequencySpendCorrelation) >= limit) {
      warnings.push({
        code: 'spend_frequency_correlated',
        message: `Purchase frequency and mean spend are correlated (ρ = ${gammaGamma.frequencySpendCorrelation.toFixed(2)}); the spend model assumes they are independent, so expected spend and CLV are biased for frequent buyers.`,
      });
    }
  }
  return { bgnbd, gammaGamma, warnings, fitMs: performance.now() - t0 };
}

export type DiscountRate = { annualRate: number } | { monthlyRate: number };

export interface ScoreClvOptions {
  /** Discount rate for the CLV (default 10 % a year); an annual rate D becomes the monthly d = (1+D)^(1/12) − 1. */
  discount?: DiscountRate;
  /** CLV horizon in months (default 12). */
  months?: number;
}

export interface ClvScores {
  pAlive: Float64Array;
  /** Expected purchases in the next 90 days (t = 90/7 weeks). */
  expectedPurchases90d: Float64Array;
  /** Expected purchases in the next 365 days (t = 365/7 weeks). */
  expectedPurchases365d: Float64Array;
  /** Expected spend per purchase (Gamma-Gamma); NaN without a spend model. */
  expectedSpend: Float64Array;
  /** Discounted value of the next `months` months; NaN without a spend model. */
  clv: Float64Array;
  months: number;
  monthlyDiscountRate: number;
  /** Distinct (x, T) pairs: the number of hypergeometric series evaluated. */
  distinctXT: number;
  scoreMs: number;
}

/**
 * Scores every customer. With G(x, T, t) the purchases expected in the next t weeks of a customer known to be
 * alive, E[Y(t) | x, t_x, T] = P(alive) · G(x, T, t), and
 *   CLV = Σ_{k=1..months} (E[Y(τ_k)] − E[Y(τ_{k−1})]) · E[spend] / (1 + d)^k,   τ_k = k · 30.4375 / 7 weeks,
 * i.e. the purchases expected in month k, valued at the expected spend and discounted at the monthly rate d.
 */
export function scoreClv(
  model: { bgnbd: BgNbdParams; gammaGamma: GammaGammaParams | null },
  customers: ClvCustomers,
  options: ScoreClvOptions = {},
): ClvScores {
  const t0 = performance.now();
  const c = customerArrays(customers);
  const months = options.months ?? 12;
  if (!(Number.isInteger(months) && months >= 1)) throw new ClvModelError('invalid_input', `The CLV horizon must be a whole number of months ≥ 1 (got ${months}).`);
  const d = monthlyRate(options.discount ?? { annualRate: DEFAULT_ANNUAL_DISCOUNT_RATE });
  const gg = model.gammaGamma;

  // Horizons in weeks: 90 d, 365 d, then the end of each month.
  const horizons = new Float64Array(2 + months);
  horizons[0] = 90 / DAYS_PER_WEEK;
  horizons[1] = 365 / DAYS_PER_WEEK;
  for (let k = 1; k <= months; k++) horizons[1 + k] = (k * DAYS_PER_MONTH) / DAYS_PER_WEEK;
  const discountFactor = new Float64Array(months + 1);
  for (let k = 1; k <= months; k++) discountFactor[k] = Math.pow(1 + d, -k);

  // Per distinct (x, T): G at 90 d and 365 d, and the discounted sum Σ_k (G(τ_k) − G(τ_{k−1})) / (1+d)^k.
  const n = c.n;
  const xIndex = new ValueIndex(64), TIndex = new ValueIndex(1024);
  const xIds = xIndex.ids(c.x, new Int32Array(n)), TIds = TIndex.ids(c.T, new Int32Array(n));
  const { ids: pairOf, size: m } = pairIds(xIds, xIndex.size, TIds, TIndex.size);
  const g90 = new Float64Array(m), g365 = new Float64Array(m), gClv = new Float64Array(m);
  const done = new Uint8Array(m);
  const g = new Float64Array(horizons.length);
  const scratch = new Float64Array(3 * horizons.length);
  for (let i = 0; i < n; i++) {
    const k = pairOf[i];
    if (done[k]) continue;
    done[k] = 1;
    bgnbdExpectedIfAliveMany(model.bgnbd, c.x[i], c.T[i], horizons, g, scratch);
    g90[k] = g[0];
    g365[k] = g[1];
    let acc = 0, prev = 0;
    for (let j = 1; j <= months; j++) {
      acc += (g[1 + j] - prev) * discountFactor[j];
      prev = g[1 + j];
    }
    gClv[k] = acc;
  }

  const pAlive = new Float64Array(n), e90 = new Float64Array(n), e365 = new Float64Array(n);
  const spend = new Float64Array(n), clv = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = c.x[i];
    const pa = bgnbdPAlive(model.bgnbd, x, c.t_x[i], c.T[i]);
    const k = pairOf[i];
    pAlive[i] = pa;
    e90[i] = pa * g90[k];
    e365[i] = pa * g365[k];
    if (gg) {
      const s = gammaGammaExpectedSpend(gg, x, c.monetary ? c.monetary[i] : NaN);
      spend[i] = s;
      clv[i] = pa * gClv[k] * s;
    } else {
      spend[i] = NaN;
      clv[i] = NaN;
    }
  }
  return {
    pAlive,
    expectedPurchases90d: e90,
    expectedPurchases365d: e365,
    expectedSpend: spend,
    clv,
    months,
    monthlyDiscountRate: d,
    distinctXT: m,
    scoreMs: performance.now() - t0,
  };
}

export function monthlyRate(discount: DiscountRate): number {
  const rate = 'annualRate' in discount ? discount.annualRate : discount.monthlyRate;
  if (!(Number.isFinite(rate) && rate > -1)) throw new ClvModelError('invalid_input', `The discount rate must be a number above −100 % (got ${rate}).`);
  return 'annualRate' in discount ? Math.pow(1 + rate, 1 / 12) - 1 : rate;
}
