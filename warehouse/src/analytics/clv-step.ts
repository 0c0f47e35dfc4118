import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from '../db/duckdb.ts';
import { literal } from '../db/duckdb.ts';
import { ClvModelError, fitClv, scoreClv, type ClvFit } from './clv/index.ts';

/**
 * The predictive-CLV step of a build (a model header's `analytics: clv`): fits BG/NBD and Gamma-Gamma on
 * marts.customer_clv's x, t_x, T and monetary value (calibration date = the build's as-of date), writes each
 * customer's P(alive), expected purchases, expected spend and discounted 12-month CLV into the same table, and
 * the fitted model into marts.clv_model. Degenerate data (too few customers, no repeat buyers) does not fail
 * the build: the predictive columns stay null and marts.clv_model says why.
 */
export interface ClvStepResult {
  status: 'fitted' | 'not_fitted';
  message: string;
  customers: number;
  fitMs: number;
  scoreMs: number;
}

export async function runClvStep(c: Connection, table: string, opts: { asOf: string; annualDiscountRate: number }): Promise<ClvStepResult> {
  const reader = await c.raw.runAndReadAll(
    `SELECT customer_id, x::DOUBLE, t_x::DOUBLE, "T"::DOUBLE, monetary_value::DOUBLE FROM ${table} ORDER BY customer_id`,
  );
  const [ids, xs, txs, Ts, ms] = reader.getColumnsJS() as [string[], number[], number[], number[], (number | null)[]];
  const n = ids.length;
  const monetary = Float64Array.from(ms, (v) => (v === null ? NaN : v));
  let fit: ClvFit;
  try {
    fit = fitClv({ x: xs, t_x: txs, T: Ts, monetary });
  } catch (err) {
    if (!(err instanceof ClvModelError)) throw err;
    await writeModel(c, { asOf: opts.asOf, n, status: 'not_fitted', message: err.message, fit: null, scoreMs: 0, rate: opts.annualDiscountRate });
    return { status: 'not_fitted', message: err.message, customers: n, fitMs: 0, scoreMs: 0 };
  }
  const scores = scoreClv({ bgnbd: fit.bgnbd, gammaGamma: fit.gammaGamma }, { x: xs, t_x: txs, T: Ts, monetary }, { discount: { annualRate: opts.annualDiscountRate } });

  // The scores go back through a temporary CSV file: one bulk read instead of millions of appender calls.
  const dir = mkdtempSync(join(tmpdir(), 'scrm-clv-'));
  const file = join(dir, 'scores.csv');
  try {
    const f = (v: number) => (Number.isFinite(v) ? String(v) : '');
    const lines: string[] = [];
    for (let i = 0; i < n; i++) {
      lines.push(`${i},${f(scores.pAlive[i])},${f(scores.expectedPurchases90d[i])},${f(scores.expectedPurchases365d[i])},${f(scores.expectedSpend[i])},${f(scores.clv[i])}`);
    }
    writeFileSync(file, lines.join('\n') + '\n');
    await c.run(`CREATE OR REPLACE TABLE ${table} AS
      WITH s AS (SELECT * FROM read_csv(${literal(file)}, header = false, columns = {'i': 'BIGINT', 'p_alive': 'DOUBLE', 'e90': 'DOUBLE', 'e365': 'DOUBLE', 'spend': 'DOUBLE', 'clv': 'DOUBLE'})),
        t AS (SELECT *, row_number() OVER (ORDER BY customer_id) - 1 AS _i FROM ${table})
      SELECT t.* EXCLUDE (_i) REPLACE (s.p_alive AS p_alive, s.e90 AS expected_purchases_90d, s.e365 AS expected_purchases_365d,
        CAST(s.spend AS DECIMAL(18, 2)) AS expected_avg_spend, CAST(s.clv AS DECIMAL(18, 2)) AS predicted_clv_12m)
      FROM t LEFT JOIN s ON s.i = t._i`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const message = fit.warnings.map((w) => w.message).join(' ') || 'fitted';
  await writeModel(c, { asOf: opts.asOf, n, status: 'fitted', message, fit, scoreMs: scores.scoreMs, rate: opts.annualDiscountRate });
  return { status: 'fitted', message, customers: n, fitMs: fit.fitMs, scoreMs: scores.scoreMs };
}

async function writeModel(
  c: Connection,
  m: { asOf: string; n: number; status: string; message: string; fit: ClvFit | null; scoreMs: number; rate: number },
): Promise<void> {
  const b = m.fit?.bgnbd;
  const g = m.fit?.gammaGamma;
  const v = (x: number | undefined | null) => (x === undefined || x === null || !Number.isFinite(x) ? 'NULL' : String(x));
  await c.run(`CREATE OR REPLACE TABLE marts.clv_model AS SELECT
    DATE '${m.asOf}' AS calibration_date, ${literal(m.status)} AS status, ${literal(m.message)} AS message,
    ${m.n}::BIGINT AS customers, ${v(b?.repeatBuyers)}::BIGINT AS repeat_buyers, ${v(b?.patterns)}::BIGINT AS distinct_patterns,
    ${v(b?.r)}::DOUBLE AS r, ${v(b?.alpha)}::DOUBLE AS alpha, ${v(b?.a)}::DOUBLE AS a, ${v(b?.b)}::DOUBLE AS b,
    ${v(b?.logLik)}::DOUBLE AS bgnbd_log_likelihood,
    ${v(g?.p)}::DOUBLE AS p, ${v(g?.q)}::DOUBLE AS q, ${v(g?.gamma)}::DOUBLE AS gamma,
    ${v(g?.logLik)}::DOUBLE AS gamma_gamma_log_likelihood, ${v(g?.frequencySpendCorrelation)}::DOUBLE AS spend_frequency_correlation,
    ${m.rate}::DOUBLE AS annual_discount_rate, ${v(m.fit?.fitMs)}::DOUBLE AS fit_ms, ${m.scoreMs}::DOUBLE AS score_ms`);
  await c.run(`COMMENT ON TABLE marts.clv_model IS ${literal(
    'The predictive CLV model of the latest build: BG/NBD (r, alpha, a, b) and Gamma-Gamma (p, q, gamma) parameters fitted by maximum likelihood on marts.customer_clv, calibrated at the build\'s as-of date (time unit: weeks), with log-likelihoods, the spend–frequency correlation (Gamma-Gamma assumes none), the discount rate and fit time.',
  )}`);
}
