/**
 * Trains the shipped sentiment model and language profiles from the labelled tweets' train splits.
 *
 *   pnpm -F @scrm/warehouse exec tsx src/analytics/sentiment/train.ts            # writes model.json, langid.json
 *   pnpm -F @scrm/warehouse exec tsx src/analytics/sentiment/train.ts --cv       # also 5-fold CV on train
 *   pnpm -F @scrm/warehouse exec tsx src/analytics/sentiment/train.ts --check    # retrains, compares with the files
 *
 * Deterministic: the same data give byte-identical files (full-batch L-BFGS, no randomness, no timestamps).
 * Hyper-parameters below were chosen by 5-fold cross-validation on train (README.md); val is only reported.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_FEATURES, type FeatureConfig } from './features.ts';
import { readSplit, sentimentDataDir, type Labelled } from './data.ts';
import { design, evaluate, featurize, fit, type Evaluation } from './learn.ts';
import { setLangProfiles, trainLangProfiles, detectLanguage, type LangProfiles } from './langid.ts';
import { LANGS, type Lang } from './lexicon.ts';
import { SentimentScorer } from './index.ts';
import { decodeModel, encodeModel, type ModelFile } from './model.ts';

export const HYPER = { l2: 3e-3, minDf: 2, maxIter: 100 };
export const FEATURES: FeatureConfig = DEFAULT_FEATURES;

export interface Trained { model: ModelFile; langid: LangProfiles }

/** Fits language profiles and the sentiment model on some labelled examples. */
export function trainAll(train: Labelled[], opts: { cfg?: FeatureConfig; l2?: number; minDf?: number; maxIter?: number; extra?: Record<string, unknown> } = {}): Trained {
  const cfg = opts.cfg ?? FEATURES;
  const l2 = opts.l2 ?? HYPER.l2, minDf = opts.minDf ?? HYPER.minDf, maxIter = opts.maxIter ?? HYPER.maxIter;
  const langid = trainLangProfiles(Object.fromEntries(LANGS.map((l) => [l, train.filter((e) => e.lang === l).map((e) => e.text)])) as Record<Lang, string[]>);
  const docs = featurize(train, cfg);
  const d = design(docs, train.map((e) => e.label), minDf);
  const w = fit(d, { l2, maxIter });
  const D = d.buckets.length;
  const model = encodeModel(cfg, d.buckets, w.subarray(0, 3 * D), w.subarray(3 * D), {
    data: 'cardiffnlp/xlm-t sentiment (InterTASS 2017 es, SentiBR pt, SemEval-2017 en), train split',
    examples: Object.fromEntries(LANGS.map((l) => [l, train.filter((e) => e.lang === l).length])),
    l2, minDf, maxIter, buckets: D, ...opts.extra,
  });
  return { model, langid };
}

/** Per-language accuracy, macro-F1 and confusion of a scorer on labelled examples (language as given). */
export function evaluateScorer(scorer: SentimentScorer, examples: Labelled[]): Record<Lang, Evaluation> {
  const out = {} as Record<Lang, Evaluation>;
  for (const l of LANGS) {
    const ex = examples.filter((e) => e.lang === l);
    out[l] = evaluate(ex.map((e) => e.label), ex.map((e) => { scorer.scoreInto(e.text, e.lang); return scorer.argmax(); }));
  }
  return out;
}

export function formatTable(title: string, ev: Record<string, Evaluation>): string {
  const rows = [title, 'lang      n  accuracy  macro-F1   F1 neg/neu/pos       confusion (rows truth neg/neu/pos, cols predicted)'];
  for (const [l, e] of Object.entries(ev)) {
    rows.push(`${l.padEnd(4)} ${String(e.n).padStart(6)}  ${e.accuracy.toFixed(3).padStart(8)}  ${e.macroF1.toFixed(3).padStart(8)}   ${e.f1.map((x) => x.toFixed(2)).join('/')}       ${e.confusion.map((r) => r.map((x) => String(x).padStart(3)).join(' ')).join(' | ')}`);
  }
  return rows.join('\n');
}

/** 5-fold cross-validation on train (folds: every fifth example of each language). */
export function crossValidate(train: Labelled[], cfg: FeatureConfig, hyper: { l2: number; minDf: number; maxIter: number }, folds = 5): Record<Lang, Evaluation> {
  const docs = featurize(train, cfg);
  const pred = new Int32Array(train.length);
  for (let f = 0; f < folds; f++) {
    const tr: number[] = [], te: number[] = [];
    train.forEach((_, i) => (i % folds === f ? te : tr).push(i));
    const d = design(tr.map((i) => docs[i]), tr.map((i) => train[i].label), hyper.minDf);
    const w = fit(d, { l2: hyper.l2, maxIter: hyper.maxIter });
    const model = decodeModel(encodeModel(cfg, d.buckets, w.subarray(0, 3 * d.buckets.length), w.subarray(3 * d.buckets.length), {}));
    const scorer = new SentimentScorer(model);
    for (const i of te) { scorer.scoreInto(train[i].text, train[i].lang); pred[i] = scorer.argmax(); }
  }
  const out = {} as Record<Lang, Evaluation>;
  for (const l of LANGS) {
    const idx = train.map((e, i) => (e.lang === l ? i : -1)).filter((i) => i >= 0);
    out[l] = evaluate(idx.map((i) => train[i].label), idx.map((i) => pred[i]));
  }
  return out;
}

const MODEL_URL = new URL('./model.json', import.meta.url);
const LANGID_URL = new URL('./langid.json', import.meta.url);
export const serialise = (x: unknown) => JSON.stringify(x, null, 1) + '\n';

async function main() {
  const { values } = parseArgs({ options: { cv: { type: 'boolean', default: false }, check: { type: 'boolean', default: false } } });
  const dir = sentimentDataDir();
  if (!dir) throw new Error('labelled tweets not found: set SCRM_SENTIMENT_DATA or put them in shared/data/sentiment beside the repository');
  const train = LANGS.flatMap((l) => readSplit(dir, l, 'train'));
  const val = LANGS.flatMap((l) => readSplit(dir, l, 'val'));
  let cv: Record<Lang, Evaluation> | undefined;
  if (values.cv) {
    const t = performance.now();
    cv = crossValidate(train, FEATURES, HYPER);
    console.log(formatTable(`5-fold cross-validation on train (${Math.round(performance.now() - t)} ms)`, cv));
  }
  const t0 = performance.now();
  const { model, langid } = trainAll(train);
  console.error(`trained in ${Math.round(performance.now() - t0)} ms`);
  const modelText = serialise(model), langidText = JSON.stringify(langid) + '\n';
  if (values.check) {
    const same = modelText === readFileSync(MODEL_URL, 'utf8') && langidText === readFileSync(LANGID_URL, 'utf8');
    console.log(same ? 'retrained model.json and langid.json are identical to the ones in the package' : 'retrained files DIFFER from the ones in the package');
    process.exit(same ? 0 : 1);
  }
  writeFileSync(MODEL_URL, modelText);
  writeFileSync(LANGID_URL, langidText);
  console.log(`wrote model.json (${modelText.length.toLocaleString('en-US')} bytes) and langid.json (${langidText.length.toLocaleString('en-US')} bytes)`);
  setLangProfiles(langid);
  const scorer = new SentimentScorer(decodeModel(model));
  console.log(formatTable('val (shipped, quantised weights)', evaluateScorer(scorer, val)));
  const langAcc = LANGS.map((l) => {
    const ex = val.filter((e) => e.lang === l);
    return `${l} ${(ex.filter((e) => detectLanguage(e.text) === l).length / ex.length).toFixed(3)}`;
  });
  console.log(`language detection on val: ${langAcc.join(', ')}`);
}

if (process.argv[1]?.endsWith('train.ts')) await main();
