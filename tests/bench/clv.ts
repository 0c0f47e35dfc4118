// pnpm bench clv [--customers 1000000] [--seed 1]
//   Simulates a customer base from the BG/NBD and Gamma-Gamma processes with CDNOW's published parameters (first
//   purchases spread over a year, two years of history, whole days), then fits both models and scores every
//   customer. Runs in its own process (spawned by main.ts) so that its peak RSS is its own. Prints one JSON line last.
import { parseArgs } from 'node:util';
import { fitClv, scoreClv } from '@scrm/warehouse/analytics/clv/index';
import { simulateCustomers } from '@scrm/warehouse/analytics/clv/simulate';

const { values } = parseArgs({ options: { customers: { type: 'string', default: '1000000' }, seed: { type: 'string', default: '1' } } });
const n = Number(values.customers);
const truth = { r: 0.2425945, alpha: 4.4136019, a: 0.7929199, b: 2.4258881 };
const spendTruth = { p: 6.25, q: 3.74, gamma: 15.44 };

let t = performance.now();
const customers = simulateCustomers(truth, n, { seed: Number(values.seed), cohortDays: 365, calibrationDays: 730, spend: spendTruth });
const simulateMs = performance.now() - t;

t = performance.now();
const fit = fitClv(customers);
const fitMs = performance.now() - t;

t = performance.now();
const scores = scoreClv(fit, customers, { discount: { annualRate: 0.1 } });
const scoreMs = performance.now() - t;

let clvSum = 0, aliveSum = 0;
for (let i = 0; i < n; i++) {
  clvSum += scores.clv[i];
  aliveSum += scores.pAlive[i];
}
const gg = fit.gammaGamma!;
const result = {
  customers: n,
  repeatBuyers: fit.bgnbd.repeatBuyers,
  distinctPatterns: fit.bgnbd.patterns,
  distinctXT: scores.distinctXT,
  simulateMs: Math.round(simulateMs),
  fitMs: Math.round(fitMs),
  scoreMs: Math.round(scoreMs),
  totalMs: Math.round(fitMs + scoreMs),
  bgnbd: { r: fit.bgnbd.r, alpha: fit.bgnbd.alpha, a: fit.bgnbd.a, b: fit.bgnbd.b, iterations: fit.bgnbd.iterations, evaluations: fit.bgnbd.evaluations, subsampleEvaluations: fit.bgnbd.subsampleEvaluations },
  gammaGamma: { p: gg.p, q: gg.q, gamma: gg.gamma, iterations: gg.iterations, evaluations: gg.evaluations, subsampleEvaluations: gg.subsampleEvaluations, customers: gg.customers },
  meanPAlive: aliveSum / n,
  meanClv12m: clvSum / n,
  warnings: fit.warnings.map((w) => w.code),
  maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
};
const fmt = (v: number) => v.toLocaleString('en-US');
const pct = (ours: number, ref: number) => `${ours.toPrecision(4)} (truth ${ref}, ${((ours / ref - 1) * 100).toFixed(1)} %)`;
console.log([
  `clv benchmark: ${fmt(n)} simulated customers (${fmt(result.repeatBuyers)} repeat buyers), simulated in ${fmt(result.simulateMs)} ms`,
  `distinct (x, t_x, T) patterns ${fmt(result.distinctPatterns)}, distinct (x, T) ${fmt(result.distinctXT)}`,
  `fit   ${fmt(result.fitMs)} ms   BG/NBD ${result.bgnbd.iterations} iterations, ${result.bgnbd.evaluations} passes over all patterns + ${result.bgnbd.subsampleEvaluations} over a subsample; Gamma-Gamma ${result.gammaGamma.iterations}, ${result.gammaGamma.evaluations} + ${result.gammaGamma.subsampleEvaluations}`,
  `score ${fmt(result.scoreMs)} ms   (P(alive), 90 d and 365 d purchases, spend, 12-month CLV at 10 %/year)`,
  `fit + score ${fmt(result.totalMs)} ms   peak RSS ${fmt(result.maxRssMb)} MB`,
  `recovered: r ${pct(fit.bgnbd.r, truth.r)}, α ${pct(fit.bgnbd.alpha, truth.alpha)}, a ${pct(fit.bgnbd.a, truth.a)}, b ${pct(fit.bgnbd.b, truth.b)}`,
  `           p ${pct(gg.p, spendTruth.p)}, q ${pct(gg.q, spendTruth.q)}, γ ${pct(gg.gamma, spendTruth.gamma)}`,
  `mean P(alive) ${result.meanPAlive.toFixed(3)}, mean 12-month CLV ${result.meanClv12m.toFixed(2)}${result.warnings.length ? `, warnings: ${result.warnings.join(', ')}` : ''}`,
].join('\n'));
console.log(JSON.stringify(result));
