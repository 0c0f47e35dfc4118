// Maximum likelihood on log-parameters: BFGS from the best of a few starting points, restarted from its own
// optimum (with a fresh curvature estimate) until a restart no longer improves the fit. On a large customer base
// that search runs on a systematic subsample, and the full data only polish its optimum, starting from the
// curvature the subsample taught (the objectives are means per customer, so their Hessians agree): a handful of
// passes over the full data instead of a few dozen.
import { ClvModelError } from './errors.ts';
import { minimizeBfgs, type MinimizeResult, type Objective } from './optimize.ts';

/** Fitted parameters outside [1e-8, 1e8] mean the likelihood has no interior maximum on these data. */
const LOG_BOUND = Math.log(1e8);

/** Above twice this many customers the search runs on every k-th customer, about this many. */
export const SUBSAMPLE_CUSTOMERS = 100_000;

export interface MleResult {
  params: Float64Array;
  /** The objective at the optimum: minus the mean log-likelihood per customer. */
  f: number;
  iterations: number;
  /** Passes over the full data. */
  evaluations: number;
  /** Passes over the subsample (0 without one). */
  subsampleEvaluations: number;
}

export function fitLogParams(
  model: string,
  names: readonly string[],
  objective: Objective,
  starts: readonly number[][],
  subsample?: Objective,
): MleResult {
  if (subsample) {
    const coarse = search(model, names, subsample, starts.map((s) => Float64Array.from(s, Math.log)));
    const polish = minimizeBfgs(objective, coarse.x, { inverseHessian: coarse.inverseHessian });
    if (polish.converged) {
      checkInterior(model, names, polish.x);
      return { params: polish.x.map(Math.exp), f: polish.f, iterations: coarse.iterations + polish.iterations, evaluations: polish.evaluations, subsampleEvaluations: coarse.evaluations };
    }
    // The subsample misled us: search the full data, from the subsample's optimum first.
    const full = search(model, names, objective, [coarse.x, ...starts.map((s) => Float64Array.from(s, Math.log))]);
    return { params: full.x.map(Math.exp), f: full.f, iterations: coarse.iterations + polish.iterations + full.iterations, evaluations: polish.evaluations + full.evaluations, subsampleEvaluations: coarse.evaluations };
  }
  const r = search(model, names, objective, starts.map((s) => Float64Array.from(s, Math.log)));
  return { params: r.x.map(Math.exp), f: r.f, iterations: r.iterations, evaluations: r.evaluations, subsampleEvaluations: 0 };
}

/** Starts ranked by their objective, BFGS from the best, restarts; the next start if that one fails. */
function search(model: string, names: readonly string[], objective: Objective, starts: Float64Array[]): MinimizeResult {
  const g = new Float64Array(names.length);
  const ranked = starts
    .map((theta) => ({ theta, f: objective(theta, g) }))
    .filter((s) => Number.isFinite(s.f))
    .sort((p, q) => p.f - q.f);
  let iterations = 0, evaluations = starts.length;
  let lastFailure = 'the likelihood is not finite at any starting point';
  for (const start of ranked) {
    let r = minimizeBfgs(objective, start.theta);
    iterations += r.iterations;
    evaluations += r.evaluations;
    // The curvature learnt on the way here; a restart's own estimate has only a few steps behind it.
    const curvature = r.inverseHessian;
    for (let restart = 0; r.converged && restart < 4; restart++) {
      const again = minimizeBfgs(objective, r.x);
      iterations += again.iterations;
      evaluations += again.evaluations;
      const improved = r.f - again.f;
      if (again.converged && again.f <= r.f) r = again;
      if (!(improved > 1e-12 * Math.max(1, Math.abs(r.f)))) break;
    }
    checkInterior(model, names, r.x);
    if (!r.converged) {
      lastFailure = `the optimiser stopped (${r.reason}) after ${r.iterations} iterations`;
      continue;
    }
    return { ...r, iterations, evaluations, inverseHessian: curvature };
  }
  throw new ClvModelError('not_converged', `The ${model} fit did not converge: ${lastFailure}.`);
}

function checkInterior(model: string, names: readonly string[], theta: Float64Array) {
  const off = names.filter((_, i) => Math.abs(theta[i]) > LOG_BOUND);
  if (off.length > 0) {
    throw new ClvModelError(
      'degenerate_fit',
      `The ${model} fit runs off to the edge of the parameter space (${names.map((n, i) => `${n} = ${Math.exp(theta[i]).toPrecision(3)}`).join(', ')}): ` +
        `these data do not identify ${off.join(' and ')}. Usually there are too few customers or repeat purchases, or they all look alike.`,
    );
  }
}

/** Every k-th index, k chosen so that about `size` remain; null when n is below twice that. */
export function subsampleIndices(n: number, size = SUBSAMPLE_CUSTOMERS): Int32Array | null {
  if (n < 2 * size) return null;
  const k = Math.floor(n / size);
  const out = new Int32Array(Math.ceil(n / k));
  for (let i = 0, j = 0; i < n; i += k) out[j++] = i;
  return out;
}
