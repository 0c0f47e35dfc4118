// Predictive CLV: BG/NBD for purchases and P(alive), Gamma-Gamma for spend. See README.md beside this file.
export { fitClv, scoreClv, monthlyRate, DAYS_PER_WEEK, DAYS_PER_MONTH, CORRELATION_WARNING, DEFAULT_ANNUAL_DISCOUNT_RATE } from './clv.ts';
export type { ClvFit, ClvScores, FitClvOptions, ScoreClvOptions, DiscountRate } from './clv.ts';
export { customerArrays, groupPatterns, type ClvCustomers, type ClvCustomerRow, type ClvCustomerColumns } from './customers.ts';
export { ClvModelError, type ClvErrorCode, type ClvWarning } from './errors.ts';
export {
  fitBgNbd,
  bgnbdLogLikelihood,
  bgnbdTotalLogLikelihood,
  bgnbdPAlive,
  bgnbdExpectedPurchases,
  bgnbdExpectedPurchasesNew,
  bgnbdExpectedIfAlive,
  MIN_CUSTOMERS,
  MIN_REPEAT_BUYERS,
  type BgNbdParams,
  type BgNbdFit,
} from './bgnbd.ts';
export {
  fitGammaGamma,
  gammaGammaLogLikelihood,
  gammaGammaExpectedSpend,
  frequencySpendCorrelation,
  MIN_SPEND_CUSTOMERS,
  type GammaGammaParams,
  type GammaGammaFit,
} from './gamma-gamma.ts';
