/**
 * Multinomial logistic regression on hashed sparse features, fitted by full-batch L-BFGS (deterministic: same
 * data and settings give bit-identical weights), with the metrics used to report it.
 */
import { FeatureBuffer, extract, type FeatureConfig } from './features.ts';
import type { Lang } from './lexicon.ts';

export const K = 3; // 0 negative, 1 neutral, 2 positive


/** Training examples as a sparse matrix over the buckets they use (compact column numbering). */
export interface Design {
  rows: number;
  rowPtr: Int32Array;
  cols: Int32Array;
  vals: Float64Array;
  labels: Int32Array;
  /** Compact column → hash bucket. */
  buckets: Int32Array;
}

/** One document's features: distinct buckets (ascending) and their summed values. */
export interface Doc { h: Uint32Array; v: Float32Array }

export function featurize(examples: { text: string; lang: Lang | null }[], cfg: FeatureConfig): Doc[] {
  const buf = new FeatureBuffer();
  return examples.map((ex) => {
    extract(ex.text, ex.lang, cfg, buf);
    return mergeFeatures(buf);
  });
}

/** Sorts a buffer's features by bucket and sums repeated ones. */
export function mergeFeatures(buf: FeatureBuffer): Doc {
  const order = Array.from({ length: buf.n }, (_, i) => i).sort((a, b) => buf.hashes[a] - buf.hashes[b] || a - b);
  const h: number[] = [], v: number[] = [];
  for (const i of order) {
    const k = buf.hashes[i];
    if (h.length && h[h.length - 1] === k) v[v.length - 1] += buf.values[i];
    else { h.push(k); v.push(buf.values[i]); }
  }
  return { h: Uint32Array.from(h), v: Float32Array.from(v) };
}

/** The design matrix of some documents, over the buckets used by at least `minDf` of them. */
export function design(docs: Doc[], labels: ArrayLike<number>, minDf = 1): Design {
  const df = new Map<number, number>();
  for (const d of docs) for (const k of d.h) df.set(k, (df.get(k) ?? 0) + 1);
  const kept = [...df.entries()].filter(([, n]) => n >= minDf).map(([b]) => b).sort((a, b) => a - b);
  const col = new Map<number, number>(kept.map((b, i) => [b, i]));
  const rowPtr = new Int32Array(docs.length + 1);
  let nnz = 0;
  for (let r = 0; r < docs.length; r++) {
    for (const h of docs[r].h) if (col.has(h)) nnz++;
    rowPtr[r + 1] = nnz;
  }
  const cols = new Int32Array(nnz);
  const vals = new Float64Array(nnz);
  let p = 0;
  for (const d of docs) {
    for (let i = 0; i < d.h.length; i++) {
      const c = col.get(d.h[i]);
      if (c !== undefined) { cols[p] = c; vals[p++] = d.v[i]; }
    }
  }
  return { rows: docs.length, rowPtr, cols, vals, labels: Int32Array.from(labels as ArrayLike<number>), buckets: Int32Array.from(kept) };
}

/** Class scores of a document under compact weights (as `fit` returns them) indexed through a bucket map. */
export function predictDocs(docs: Doc[], d: Design, w: Float64Array): Int32Array {
  const D = d.buckets.length;
  const col = new Map<number, number>();
  for (let i = 0; i < D; i++) col.set(d.buckets[i], i);
  const out = new Int32Array(docs.length);
  for (let r = 0; r < docs.length; r++) {
    const s = [w[K * D], w[K * D + 1], w[K * D + 2]];
    const doc = docs[r];
    for (let i = 0; i < doc.h.length; i++) {
      const c = col.get(doc.h[i]);
      if (c === undefined) continue;
      for (let k = 0; k < K; k++) s[k] += w[c * K + k] * doc.v[i];
    }
    out[r] = s[0] >= s[1] && s[0] >= s[2] ? 0 : s[1] >= s[2] ? 1 : 2;
  }
  return out;
}

export interface FitOptions { l2: number; maxIter: number; classWeights?: number[] }

/** Weights: D×K (class scores of a column side by side) followed by K biases. */
export function fit(d: Design, opt: FitOptions): Float64Array {
  const n = K * d.buckets.length + K;
  const cw = Float64Array.from(opt.classWeights ?? [1, 1, 1]);
  return lbfgs((w, g) => objective(d, w, g, opt.l2, cw), new Float64Array(n), opt.maxIter);
}

/** Mean weighted cross-entropy plus L2 (biases not penalised); its gradient into g. */
export function objective(d: Design, w: Float64Array, g: Float64Array, l2: number, cw: Float64Array): number {
  const B = K * d.buckets.length;
  const n = B + K;
  const rows = d.rows, rowPtr = d.rowPtr, cols = d.cols, vals = d.vals, labels = d.labels;
  g.fill(0);
  let loss = 0;
  for (let r = 0; r < rows; r++) {
    const a = rowPtr[r], b = rowPtr[r + 1];
    let s0 = w[B], s1 = w[B + 1], s2 = w[B + 2];
    for (let p = a; p < b; p++) {
      const c = cols[p] * 3, v = vals[p];
      s0 += w[c] * v; s1 += w[c + 1] * v; s2 += w[c + 2] * v;
    }
    const max = s0 > s1 ? (s0 > s2 ? s0 : s2) : s1 > s2 ? s1 : s2;
    const e0 = Math.exp(s0 - max), e1 = Math.exp(s1 - max), e2 = Math.exp(s2 - max);
    const z = e0 + e1 + e2;
    const y = labels[r];
    const wt = cw[y];
    loss -= wt * Math.log((y === 0 ? e0 : y === 1 ? e1 : e2) / z);
    const g0 = wt * (e0 / z - (y === 0 ? 1 : 0)), g1 = wt * (e1 / z - (y === 1 ? 1 : 0)), g2 = wt * (e2 / z - (y === 2 ? 1 : 0));
    for (let p = a; p < b; p++) {
      const c = cols[p] * 3, v = vals[p];
      g[c] += g0 * v; g[c + 1] += g1 * v; g[c + 2] += g2 * v;
    }
    g[B] += g0; g[B + 1] += g1; g[B + 2] += g2;
  }
  const inv = 1 / rows;
  loss *= inv;
  for (let i = 0; i < n; i++) g[i] *= inv;
  for (let i = 0; i < B; i++) { const wi = w[i]; loss += 0.5 * l2 * wi * wi; g[i] += l2 * wi; }
  return loss;
}

/** Limited-memory BFGS (m = 8) with a backtracking Armijo line search. */
export function lbfgs(f: (w: Float64Array, g: Float64Array) => number, w: Float64Array, maxIter: number): Float64Array {
  const n = w.length, m = 8;
  const S: Float64Array[] = [], Y: Float64Array[] = [], rho: number[] = [];
  let g: Float64Array = new Float64Array(n);
  let fx = f(w, g);
  const dir = new Float64Array(n);
  const alpha = new Float64Array(m);
  let wNew: Float64Array = new Float64Array(n), gNew: Float64Array = new Float64Array(n);
  for (let it = 0; it < maxIter; it++) {
    // Two-loop recursion: dir = −H g.
    for (let i = 0; i < n; i++) dir[i] = -g[i];
    for (let j = S.length - 1; j >= 0; j--) {
      alpha[j] = rho[j] * dot(S[j], dir);
      axpy(-alpha[j], Y[j], dir);
    }
    if (S.length > 0) {
      const last = S.length - 1;
      const gamma = dot(S[last], Y[last]) / dot(Y[last], Y[last]);
      for (let i = 0; i < n; i++) dir[i] *= gamma;
    }
    for (let j = 0; j < S.length; j++) {
      const beta = rho[j] * dot(Y[j], dir);
      axpy(alpha[j] - beta, S[j], dir);
    }
    let dg = dot(dir, g);
    if (dg >= 0) { // not a descent direction: restart from steepest descent
      for (let i = 0; i < n; i++) dir[i] = -g[i];
      dg = dot(dir, g);
      S.length = 0; Y.length = 0; rho.length = 0;
    }
    let step = it === 0 ? 1 / Math.sqrt(dot(g, g)) : 1;
    let fNew = 0;
    let ok = false;
    for (let ls = 0; ls < 30; ls++) {
      for (let i = 0; i < n; i++) wNew[i] = w[i] + step * dir[i];
      fNew = f(wNew, gNew);
      if (fNew <= fx + 1e-4 * step * dg) { ok = true; break; }
      step *= 0.5;
    }
    if (!ok) break;
    const s = new Float64Array(n), y = new Float64Array(n);
    for (let i = 0; i < n; i++) { s[i] = wNew[i] - w[i]; y[i] = gNew[i] - g[i]; }
    const sy = dot(s, y);
    if (sy > 1e-12) {
      S.push(s); Y.push(y); rho.push(1 / sy);
      if (S.length > m) { S.shift(); Y.shift(); rho.shift(); }
    }
    [w, wNew] = [wNew, w];
    [g, gNew] = [gNew, g];
    const rel = (fx - fNew) / Math.max(1, Math.abs(fx));
    fx = fNew;
    if (rel < 1e-9) break;
  }
  return w;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
function axpy(a: number, x: Float64Array, y: Float64Array) {
  for (let i = 0; i < x.length; i++) y[i] += a * x[i];
}

// Metrics ------------------------------------------------------------------------------------------------
export interface Evaluation { n: number; accuracy: number; macroF1: number; f1: number[]; confusion: number[][] }

/** confusion[truth][predicted]; labels 0 negative, 1 neutral, 2 positive. */
export function evaluate(truth: ArrayLike<number>, predicted: ArrayLike<number>): Evaluation {
  const confusion = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
  for (let i = 0; i < truth.length; i++) confusion[truth[i]][predicted[i]]++;
  const n = truth.length;
  let correct = 0;
  const f1: number[] = [];
  for (let k = 0; k < K; k++) {
    correct += confusion[k][k];
    const tp = confusion[k][k];
    const predK = confusion[0][k] + confusion[1][k] + confusion[2][k];
    const trueK = confusion[k][0] + confusion[k][1] + confusion[k][2];
    const p = predK ? tp / predK : 0, r = trueK ? tp / trueK : 0;
    f1.push(p + r ? (2 * p * r) / (p + r) : 0);
  }
  return { n, accuracy: n ? correct / n : 0, macroF1: f1.reduce((a, b) => a + b, 0) / K, f1, confusion };
}
