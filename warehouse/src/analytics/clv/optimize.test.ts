import { describe, expect, it } from 'vitest';
import { minimizeBfgs } from './optimize.ts';

describe('minimizeBfgs', () => {
  it('finds the minimum of the Rosenbrock function', () => {
    const r = minimizeBfgs((x, g) => {
      const a = 1 - x[0], b = x[1] - x[0] * x[0];
      g[0] = -2 * a - 400 * x[0] * b;
      g[1] = 200 * b;
      return a * a + 100 * b * b;
    }, [-1.2, 1]);
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 8);
    expect(r.x[1]).toBeCloseTo(1, 8);
  });

  it('solves a badly scaled quadratic', () => {
    const scale = [1e-3, 1, 1e3];
    const r = minimizeBfgs((x, g) => {
      let f = 0;
      for (let i = 0; i < 3; i++) {
        g[i] = scale[i] * (x[i] - i);
        f += 0.5 * scale[i] * (x[i] - i) ** 2;
      }
      return f;
    }, [5, 5, 5], { gradientTolerance: 1e-12, maxStep: 100 });
    expect(r.converged).toBe(true);
    [0, 1, 2].forEach((v, i) => expect(r.x[i]).toBeCloseTo(v, 6));
  });

  it('backs off from steps where the objective is not finite', () => {
    // Defined for x > 0 only; the first step from x = 2 along −f' = −100 lands at x = −98.
    const r = minimizeBfgs((x, g) => {
      g[0] = 100 * (x[0] - 1);
      return x[0] > 0 ? 50 * (x[0] - 1) ** 2 : NaN;
    }, [2], { maxStep: 1000 });
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 9);
  });

  it('reports an objective that is not finite at the start', () => {
    const r = minimizeBfgs(() => NaN, [1]);
    expect(r.converged).toBe(false);
    expect(r.reason).toBe('non-finite');
  });

  it('reports running out of iterations on an unbounded objective', () => {
    const r = minimizeBfgs((x, g) => {
      g[0] = -1;
      return -x[0];
    }, [0], { maxIterations: 20 });
    expect(r.converged).toBe(false);
    expect(r.reason).toBe('iterations');
  });
});
