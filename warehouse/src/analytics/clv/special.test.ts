import { describe, expect, it } from 'vitest';
import { digamma, hyp2f1, hyp2f1Series, hyp2f1SeriesMany, lgamma } from './special.ts';

const EULER_GAMMA = 0.5772156649015329;
const close = (actual: number, expected: number, relTol: number) => {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(relTol * Math.max(1, Math.abs(expected)));
};

describe('lgamma', () => {
  it('matches known values from tiny to large arguments', () => {
    close(lgamma(1), 0, 1e-15);
    close(lgamma(2), 0, 1e-15);
    close(lgamma(0.5), 0.5 * Math.log(Math.PI), 1e-14);
    close(lgamma(10), Math.log(362880), 1e-14);
    close(lgamma(1e-8), -Math.log(1e-8) - EULER_GAMMA * 1e-8, 1e-14);
    // Stirling with four terms is exact to double precision at 1000.
    const x = 1000;
    const stirling = (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x ** 3) + 1 / (1260 * x ** 5);
    close(lgamma(x), stirling, 1e-14);
  });

  it('satisfies ln Γ(x+1) = ln Γ(x) + ln x', () => {
    for (const x of [0.013, 0.2426, 0.79, 1.5, 2.43, 7.7, 33.3, 250.1]) close(lgamma(x + 1), lgamma(x) + Math.log(x), 1e-13);
  });
});

describe('digamma', () => {
  it('matches known values to a few units in the last place (up to ten recurrence steps round)', () => {
    close(digamma(1), -EULER_GAMMA, 1e-14);
    close(digamma(0.5), -EULER_GAMMA - 2 * Math.LN2, 1e-14);
    close(digamma(10), 1 + 1 / 2 + 1 / 3 + 1 / 4 + 1 / 5 + 1 / 6 + 1 / 7 + 1 / 8 + 1 / 9 - EULER_GAMMA, 1e-14);
  });

  it('is the derivative of lgamma', () => {
    for (const x of [0.05, 0.2426, 1.3, 4.4, 26.2, 900]) {
      const h = 1e-4 * x;
      close(digamma(x), (lgamma(x + h) - lgamma(x - h)) / (2 * h), 1e-8);
    }
  });
});

describe('hyp2f1', () => {
  it('matches closed forms', () => {
    for (const z of [0.01, 0.3, 0.5, 0.9, 0.99, 0.999]) {
      close(hyp2f1(1, 1, 2, z), -Math.log(1 - z) / z, 1e-13);
      close(hyp2f1(2.5, 1.3, 1.3, z), Math.pow(1 - z, -2.5), 1e-12); // 2F1(a, b; b; z) = (1−z)^−a
      const s = Math.sqrt(z);
      close(hyp2f1(0.5, 0.5, 1.5, z), Math.asin(s) / s, 1e-13);
    }
  });

  it('handles negative z by Pfaff’s transformation', () => {
    for (const z of [-0.2, -1, -5, -40]) close(hyp2f1(1, 1, 2, z), Math.log(1 - z) / -z, 1e-13);
  });

  it('terminates for a non-positive integer a (a polynomial)', () => {
    close(hyp2f1(-2, 3, 4, 0.7), 1 + (-2 * 3 * 0.7) / 4 + ((-2 * -1 * 3 * 4) / (4 * 5 * 2)) * 0.49, 1e-15);
  });

  it('gives the same value with and without Euler’s transformation', () => {
    // c − a − b < 0: hyp2f1 applies Euler's transformation; the plain series must agree where it converges well.
    for (const z of [0.1, 0.5, 0.8]) close(hyp2f1(26.24, 28.43, 28.2, z), hyp2f1Series(26.24, 28.43, 28.2, z), 1e-12);
  });

  it('rejects arguments outside its domain', () => {
    expect(() => hyp2f1(1, 1, 2, 1)).toThrow(RangeError);
    expect(() => hyp2f1(1, 1, -2, 0.5)).toThrow(RangeError);
  });

  it('evaluates several arguments at once exactly like one at a time', () => {
    const zs = Float64Array.of(0, 0.05, 0.4, 0.92, 0.97);
    const out = new Float64Array(zs.length), powers = new Float64Array(zs.length);
    hyp2f1SeriesMany(2.976, -0.207, 2.219, zs, out, powers);
    zs.forEach((z, k) => close(out[k], hyp2f1Series(2.976, -0.207, 2.219, z), 1e-14));
  });
});
