/**
 * The shipped sentiment model (model.json): its file format and scoring with it.
 *
 * Format: the feature settings, the three class biases and, for every hash bucket with a weight, the bucket
 * (ascending, delta-encoded as LEB128 varints, base64) and its three class weights quantised to int8 on a
 * square-root scale (base64). Loading spreads the codes over a dense Int8Array (2^bits × 3).
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_FEATURES, FeatureBuffer, extract, type FeatureConfig } from './features.ts';
import type { Lang } from './lexicon.ts';

export const LABELS = ['negative', 'neutral', 'positive'] as const;
export type SentimentLabel = (typeof LABELS)[number];

export interface ModelFile {
  format: 'scrm-sentiment-linear';
  version: 1;
  features: FeatureConfig;
  classes: typeof LABELS;
  bias: number[];
  /** w = sign(q) · (|q| / 127)² · maxAbs */
  maxAbs: number;
  buckets: string;
  weights: string;
  training: Record<string, unknown>;
}

/**
 * In memory: q holds the int8 codes of the three class weights of every bucket (2^bits × 3 bytes, small enough
 * to stay in cache), lut the weight of each code (index q + 128).
 */
export interface LinearModel { cfg: FeatureConfig; bias: Float64Array; q: Int8Array; lut: Float32Array }

/** Encodes weights given per bucket (D buckets ascending, D×3 weights) as a model file. */
export function encodeModel(cfg: FeatureConfig, buckets: ArrayLike<number>, weights: ArrayLike<number>, bias: ArrayLike<number>, training: Record<string, unknown>): ModelFile {
  let maxAbs = 0;
  for (let i = 0; i < weights.length; i++) maxAbs = Math.max(maxAbs, Math.abs(weights[i]));
  const keep: number[] = [];
  const q: number[] = [];
  for (let j = 0; j < buckets.length; j++) {
    const qs = [0, 1, 2].map((k) => {
      const x = weights[j * 3 + k] / maxAbs;
      return Math.sign(x) * Math.round(Math.sqrt(Math.abs(x)) * 127);
    });
    if (qs[0] === 0 && qs[1] === 0 && qs[2] === 0) continue;
    keep.push(buckets[j]);
    q.push(...qs);
  }
  const bytes: number[] = [];
  let prev = 0;
  for (const b of keep) {
    let d = b - prev;
    prev = b;
    while (d >= 0x80) { bytes.push((d & 0x7f) | 0x80); d >>>= 7; }
    bytes.push(d);
  }
  return {
    format: 'scrm-sentiment-linear', version: 1, features: cfg, classes: LABELS,
    bias: Array.from(bias, (b) => Math.round(b * 1e6) / 1e6), maxAbs: Math.round(maxAbs * 1e6) / 1e6,
    buckets: Buffer.from(bytes).toString('base64'), weights: Buffer.from(Int8Array.from(q).buffer).toString('base64'), training,
  };
}

export function decodeModel(f: ModelFile): LinearModel {
  if (f.format !== 'scrm-sentiment-linear' || f.version !== 1) throw new Error(`not a sentiment model file (format ${f.format}, version ${f.version})`);
  const cfg = { ...DEFAULT_FEATURES, ...f.features };
  const table = new Int8Array((1 << cfg.bits) * 3);
  const lut = new Float32Array(256);
  for (let c = -128; c < 128; c++) {
    const x = c / 127;
    lut[c + 128] = Math.sign(x) * x * x * f.maxAbs;
  }
  const bytes = Buffer.from(f.buckets, 'base64');
  const q = new Int8Array(Buffer.from(f.weights, 'base64').buffer.slice(0));
  let j = 0, b = 0, i = 0;
  while (i < bytes.length) {
    let d = 0, shift = 0, byte: number;
    do { byte = bytes[i++]; d += (byte & 0x7f) * 2 ** shift; shift += 7; } while (byte & 0x80);
    b += d;
    for (let k = 0; k < 3; k++) table[b * 3 + k] = q[j * 3 + k];
    j++;
  }
  if (j * 3 !== q.length) throw new Error(`sentiment model: ${j} buckets but ${q.length / 3} weight triples`);
  return { cfg, bias: Float64Array.from(f.bias), q: table, lut };
}

let shipped: LinearModel | null = null;
export function shippedModel(): LinearModel {
  if (shipped === null) shipped = decodeModel(JSON.parse(readFileSync(new URL('./model.json', import.meta.url), 'utf8')) as ModelFile);
  return shipped;
}

/** Class probabilities of one text into `probs` (negative, neutral, positive). */
export function classProbs(model: LinearModel, text: string, lang: Lang | null, buf: FeatureBuffer, probs: Float64Array): void {
  extract(text, lang, model.cfg, buf);
  const q = model.q, lut = model.lut;
  let s0 = model.bias[0], s1 = model.bias[1], s2 = model.bias[2];
  const hs = buf.hashes, vs = buf.values;
  for (let i = 0; i < buf.n; i++) {
    const c = hs[i] * 3, v = vs[i];
    s0 += lut[q[c] + 128] * v; s1 += lut[q[c + 1] + 128] * v; s2 += lut[q[c + 2] + 128] * v;
  }
  const max = s0 > s1 ? (s0 > s2 ? s0 : s2) : s1 > s2 ? s1 : s2;
  const e0 = Math.exp(s0 - max), e1 = Math.exp(s1 - max), e2 = Math.exp(s2 - max);
  const z = e0 + e1 + e2;
  probs[0] = e0 / z; probs[1] = e1 / z; probs[2] = e2 / z;
}
