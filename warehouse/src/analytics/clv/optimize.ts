// A small, deterministic quasi-Newton minimiser (BFGS with a backtracking Armijo line search) for the few
// parameters of the CLV models. The objective returns f(x) and writes ∇f(x) into its second argument.

export type Objective = (x: Float64Array, gradient: Float64Array) => number;

export interface MinimizeOptions {
  /** Converged when every |∂f/∂xᵢ| ≤ gradientTolerance. */
  gradientTolerance?: number;
  maxIterations?: number;
  /** Longest step (max norm) tried in one iteration, so that a bad curvature estimate cannot jump to overflow. */
  maxStep?: number;
  /** Start from this inverse Hessian (row-major n×n) instead of the identity, e.g. one learnt on a subsample. */
  inverseHessian?: Float64Array;
}

export interface MinimizeResult {
  x: Float64Array;
  f: number;
  gradient: Float64Array;
  iterations: number;
  evaluations: number;
  converged: boolean;
  /** The final inverse Hessian approximation (row-major n×n). */
  inverseHessian: Float64Array;
  /** Why it stopped: 'gradient' (converged), 'precision' (no further decrease possible, gradient nearly zero: converged), 'iterations', 'line-search', 'non-finite'. */
  reason: 'gradient' | 'precision' | 'iterations' | 'line-search' | 'non-finite';
}

const ARMIJO = 1e-4;
/** Relative resolution of the objective: a sum over many customers is good to about this, not to 1 ulp. */
const PRECISION = 1e-13;

export function minimizeBfgs(objective: Objective, x0: ArrayLike<number>, options: MinimizeOptions = {}): MinimizeResult {
  const gtol = options.gradientTolerance ?? 1e-9;
  const maxIterations = options.maxIterations ?? 500;
  const maxStep = options.maxStep ?? 2;
  const n = x0.length;
  let x = Float64Array.from(x0);
  let g = new Float64Array(n);
  let f = objective(x, g);
  let evaluations = 1;
  const H = options.inverseHessian ? Float64Array.from(options.inverseHessian) : identity(n); // row-major
  let fresh = !options.inverseHessian; // H is the identity (no curvature information yet)
  const result = (converged: boolean, reason: MinimizeResult['reason'], iterations: number): MinimizeResult => ({
    x, f, gradient: g, iterations, evaluations, converged, inverseHessian: H, reason,
  });
  if (!Number.isFinite(f) || !allFinite(g)) return result(false, 'non-finite', 0);

  const p = new Float64Array(n);
  let xn = new Float64Array(n);
  let gn = new Float64Array(n);
  const s = new Float64Array(n);
  const y = new Float64Array(n);
  const Hy = new Float64Array(n);

  for (let iter = 0; iter < maxIterations; iter++) {
    if (maxAbs(g) <= gtol) return result(true, 'gradient', iter);
    // p = −H g, falling back to steepest descent if H has lost positive definiteness.
    matVec(H, g, p, -1);
    let slope = dot(g, p);
    if (!(slope < 0)) {
      resetIdentity(H);
      fresh = true;
      for (let i = 0; i < n; i++) p[i] = -g[i];
      slope = dot(g, p);
    }
    const longest = maxAbs(p);
    if (longest > maxStep) {
      const k = maxStep / longest;
      for (let i = 0; i < n; i++) p[i] *= k;
      slope *= k;
    }
    // Backtracking line search on the Armijo condition, with a strict decrease (near the optimum f + c·t·slope
    // rounds to f, and "no worse" would let the search wander at the floor of precision for ever). Non-finite trial
    // values count as too long a step.
    let t = 1;
    let fn = NaN;
    let accepted = false;
    let belowPrecision = false;
    for (let tries = 0; tries < 60; tries++) {
      for (let i = 0; i < n; i++) xn[i] = x[i] + t * p[i];
      fn = objective(xn, gn);
      evaluations++;
      if (Number.isFinite(fn) && allFinite(gn) && fn <= f + ARMIJO * t * slope && fn < f) {
        accepted = true;
        break;
      }
      if (Number.isFinite(fn) && -t * slope <= PRECISION * Math.max(1, Math.abs(f))) {
        // The decrease this step promises is below what f can resolve: shorter steps cannot do better.
        belowPrecision = true;
        break;
      }
      // Quadratic interpolation of the step, kept within [0.1 t, 0.5 t].
      const tq = Number.isFinite(fn) ? (-slope * t * t) / (2 * (fn - f - slope * t)) : 0.1 * t;
      t = Math.min(0.5 * t, Math.max(0.1 * t, tq));
    }
    if (!accepted) {
      if (belowPrecision && maxAbs(g) <= 1e3 * gtol) return result(true, 'precision', iter);
      if (!fresh) {
        // Curvature estimate gone bad: start again from steepest descent before giving up.
        resetIdentity(H);
        fresh = true;
        continue;
      }
      // No decrease is possible along −∇f: we are at the floor of floating-point precision.
      return result(maxAbs(g) <= 1e3 * gtol, maxAbs(g) <= 1e3 * gtol ? 'precision' : 'line-search', iter);
    }
    for (let i = 0; i < n; i++) {
      s[i] = xn[i] - x[i];
      y[i] = gn[i] - g[i];
    }
    const sy = dot(s, y);
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (fresh) {
        // Scale the identity by sᵀy / yᵀy before the first update (Nocedal & Wright, eq. 6.20).
        const scale = sy / dot(y, y);
        for (let i = 0; i < n; i++) H[i * n + i] = scale;
        fresh = false;
      }
      bfgsUpdate(H, s, y, sy, Hy);
    }
    [x, xn] = [xn, x];
    [g, gn] = [gn, g];
    f = fn;
  }
  return maxAbs(g) <= gtol ? result(true, 'gradient', maxIterations) : result(false, 'iterations', maxIterations);
}

/** H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ with ρ = 1 / sᵀy. */
function bfgsUpdate(H: Float64Array, s: Float64Array, y: Float64Array, sy: number, Hy: Float64Array) {
  const n = s.length;
  const rho = 1 / sy;
  matVec(H, y, Hy, 1);
  const yHy = dot(y, Hy);
  const k = (1 + rho * yHy) * rho;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      H[i * n + j] += k * s[i] * s[j] - rho * (Hy[i] * s[j] + s[i] * Hy[j]);
    }
  }
}

function identity(n: number) {
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) m[i * n + i] = 1;
  return m;
}
function resetIdentity(m: Float64Array) {
  const n = Math.round(Math.sqrt(m.length));
  m.fill(0);
  for (let i = 0; i < n; i++) m[i * n + i] = 1;
}
function matVec(m: Float64Array, v: Float64Array, out: Float64Array, sign: number) {
  const n = v.length;
  for (let i = 0; i < n; i++) {
    let acc = 0;
    for (let j = 0; j < n; j++) acc += m[i * n + j] * v[j];
    out[i] = sign * acc;
  }
}
function dot(a: Float64Array, b: Float64Array) {
  let acc = 0;
  for (let i = 0; i < a.length; i++) acc += a[i] * b[i];
  return acc;
}
function maxAbs(v: Float64Array) {
  let m = 0;
  for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i]));
  return m;
}
function allFinite(v: Float64Array) {
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) return false;
  return true;
}
