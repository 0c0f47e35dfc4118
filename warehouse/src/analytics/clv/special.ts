// Special functions the CLV models need: log-gamma, digamma and the Gauss hypergeometric function 2F1.
// Plain numbers in, plain numbers out; no allocation on the hot paths.

const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9: about 15 significant digits); ln |Γ(x)| below 0.5 by reflection. */
export function lgamma(x: number): number {
  if (x < 0.5) {
    if (x === Math.floor(x)) return Infinity;
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
  }
  x -= 1;
  let s = LANCZOS[0];
  for (let i = 1; i < 9; i++) s += LANCZOS[i] / (x + i);
  const t = x + LANCZOS_G + 0.5;
  return HALF_LOG_2PI + (x + 0.5) * Math.log(t) - t + Math.log(s);
}

/** ψ(x) = d/dx ln Γ(x): recurrence up to x ≥ 10, then the asymptotic series to x⁻¹² (error < 1e-15 there). */
export function digamma(x: number): number {
  if (x <= 0) {
    if (x === Math.floor(x)) return NaN;
    return digamma(1 - x) - Math.PI / Math.tan(Math.PI * x);
  }
  let acc = 0;
  while (x < 10) {
    acc -= 1 / x;
    x += 1;
  }
  const f = 1 / (x * x);
  return acc + Math.log(x) - 0.5 / x - f * (1 / 12 - f * (1 / 120 - f * (1 / 252 - f * (1 / 240 - f * (1 / 132 - f * (691 / 32760))))));
}

/** Most terms a 2F1 series may take before we call it divergent (z this close to 1 is outside any sane horizon). */
export const HYP2F1_MAX_TERMS = 1_000_000;
const EPS = 1e-16;

/**
 * Gauss's hypergeometric function 2F1(a, b; c; z) for real z < 1.
 *
 * - z < 0: Pfaff's transformation 2F1(a,b;c;z) = (1−z)^−a 2F1(a, c−b; c; z/(z−1)) maps z onto [0, 1).
 * - 0 ≤ z < 1: the power series, after Euler's transformation 2F1(a,b;c;z) = (1−z)^(c−a−b) 2F1(c−a, c−b; c; z)
 *   whenever c − a − b < 0, so that the summed terms decay (like n^(a+b−c−1) zⁿ) instead of growing towards z = 1.
 * The series stops once the bound on its remaining tail is below 1e-16 of the sum.
 * Throws a RangeError when c is a non-positive integer, z ≥ 1, or the series has not converged in
 * HYP2F1_MAX_TERMS terms.
 */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  if (!(z < 1)) throw new RangeError(`2F1 is only implemented for z < 1 (z = ${z})`);
  if (c <= 0 && c === Math.floor(c)) throw new RangeError(`2F1 is undefined for c = ${c}`);
  if (z === 0) return 1;
  if (z < 0) return Math.pow(1 - z, -a) * hyp2f1(a, c - b, c, z / (z - 1));
  if (c - a - b < 0) return Math.pow(1 - z, c - a - b) * hyp2f1Series(c - a, c - b, c, z);
  return hyp2f1Series(a, b, c, z);
}

/** The plain power series Σ (a)ₙ(b)ₙ / ((c)ₙ n!) zⁿ for 0 ≤ z < 1. */
export function hyp2f1Series(a: number, b: number, c: number, z: number): number {
  let term = 1;
  let sum = 1;
  // Past n0 the term ratio (a+n)(b+n)z / ((c+n)(n+1)) moves monotonically towards z, so the tail after a term
  // is at most |term|·ρ/(1−ρ) with ρ = max(current ratio, z).
  const n0 = Math.abs(a) + Math.abs(b) + Math.abs(c) + 2;
  for (let n = 0; n < HYP2F1_MAX_TERMS; n++) {
    const ratio = ((a + n) * (b + n) * z) / ((c + n) * (n + 1));
    term *= ratio;
    sum += term;
    if (term === 0) return sum;
    if (n > n0) {
      const rho = Math.max(Math.abs(ratio), z);
      if (rho < 1 && Math.abs(term) * rho <= EPS * (1 - rho) * Math.abs(sum)) return sum;
    }
  }
  throw new RangeError(`2F1(${a}, ${b}; ${c}; ${z}) did not converge in ${HYP2F1_MAX_TERMS} terms`);
}

/**
 * The same series at several arguments 0 ≤ zs[k] < 1 at once (the coefficients are shared): out[k] = 2F1(a,b;c;zs[k]).
 * No transformation is applied; the caller passes parameters whose series decays (c − a − b ≥ 0).
 */
export function hyp2f1SeriesMany(a: number, b: number, c: number, zs: Float64Array, out: Float64Array, powers: Float64Array): void {
  const m = zs.length;
  let zmax = 0;
  for (let k = 0; k < m; k++) {
    if (!(zs[k] >= 0 && zs[k] < 1)) throw new RangeError(`2F1 series needs 0 ≤ z < 1 (z = ${zs[k]})`);
    out[k] = 1;
    powers[k] = 1;
    if (zs[k] > zmax) zmax = zs[k];
  }
  if (zmax === 0) return;
  let coef = 1;
  const n0 = Math.abs(a) + Math.abs(b) + Math.abs(c) + 2;
  for (let n = 0; n < HYP2F1_MAX_TERMS; n++) {
    const ratio = ((a + n) * (b + n)) / ((c + n) * (n + 1));
    coef *= ratio;
    let worst = 0;
    for (let k = 0; k < m; k++) {
      const p = (powers[k] *= zs[k]);
      const term = coef * p;
      out[k] += term;
      const rel = Math.abs(term) / Math.abs(out[k]);
      if (rel > worst) worst = rel;
    }
    if (coef === 0) return;
    if (n > n0) {
      const rho = Math.max(Math.abs(ratio) * zmax, zmax);
      if (rho < 1 && worst * rho <= EPS * (1 - rho)) return;
    }
  }
  throw new RangeError(`2F1(${a}, ${b}; ${c}; z ≤ ${zmax}) did not converge in ${HYP2F1_MAX_TERMS} terms`);
}
