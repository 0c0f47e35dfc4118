// Maximum likelihood on log-parameters: BFGS from the best of a few starting points, restarted from its own
// optimum (with a fresh curvature estimate) until a restart no longer improves the fit.
import { ClvModelError } from './errors.ts';
import { minimizeBfgs, type Objective } from './optimize.ts';

/** Fitted parameters outside [1e-8, 1e8] mean the likelihood has no interior maximum on these data. */
const LOG_BOUND = Math.log(1e8);

export interface MleResult {
  params: Float64Array;
  /** The objective at the optimum: minus the mean log-likelihood per customer. */
  f: number;
  iterations: number;
  evaluations: number;
}

export function fitLogParams(model: string, names: readonly string[], objective: Objective, starts: readonly number[][]): MleResult {
  const g = new Float64Array(names.length);
  const ranked = starts
    .map((s) => {
      const theta = Float64Array.from(s, Math.log);
      return { theta, f: objective(theta, g) };
    })
    .filter((s) => Number.isFinite(s.f))
    .sort((p, q) => p.f - q.f);
  let iterations = 0, evaluations = ranked.length;
  let lastFailure = 'the likelihood is not finite at any starting point';
  for (const start of ranked) {
    let r = minimizeBfgs(objective, start.theta);
    iterations += r.iterations;
    evaluations += r.evaluations;
    for (let restart = 0; r.converged && restart < 4; restart++) {
      const again = minimizeBfgs(objective, r.x);
      iterations += again.iterations;
      evaluations += again.evaluations;
      const improved = r.f - again.f;
      if (again.converged && again.f <= r.f) r = again;
      if (!(improved > 1e-12 * Math.max(1, Math.abs(r.f)))) break;
    }
    const off = names.filter((_, i) => Math.abs(r.x[i]) > LOG_BOUND);
    if (off.length > 0) {
      throw new ClvModelError(
        'degenerate_fit',
        `The ${model} fit runs off to the edge of the parameter space (${names.map((n, i) => `${n} = ${Math.exp(r.x[i]).toPrecision(3)}`).join(', ')}): ` +
          `these data do not identify ${off.join(' and ')}. Usually there are too few customers or repeat purchases, or they all look alike.`,
      );
    }
    if (!r.converged) {
      lastFailure = `the optimiser stopped (${r.reason}) after ${r.iterations} iterations`;
      continue;
    }
    return { params: r.x.map(Math.exp), f: r.f, iterations, evaluations };
  }
  throw new ClvModelError('not_converged', `The ${model} fit did not converge: ${lastFailure}.`);
}
