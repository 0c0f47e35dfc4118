/**
 * How the shipped scorer does: per-language table on the val split, language detection, the demo generator's
 * negation templates, and the demo company's mentions against their true sentiment (truth/mentions.csv) next to
 * the listening tool's labels.
 *
 *   pnpm -F @scrm/warehouse exec tsx src/analytics/sentiment/report.ts [demo folder …]
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSplit, sentimentDataDir } from './data.ts';
import { detectLanguage } from './langid.ts';
import { evaluate, type Evaluation } from './learn.ts';
import { LANGS, type Lang } from './lexicon.ts';
import { SentimentScorer } from './index.ts';
import { evaluateScorer, formatTable } from './train.ts';
import { DEMO_DIR } from '../../paths.ts';
import { BRANDS } from '@scrm/fixtures';
import { mentionText, SENTIMENTS } from '@scrm/fixtures/mentions-text';
import { toolLabel } from '@scrm/fixtures/mentions';
import { Rng } from '@scrm/fixtures/random';
import { LABELS } from './model.ts';

const CODE: Record<string, number> = { negative: 0, neutral: 1, positive: 2 };

export interface DemoReport {
  mentions: number;
  /** Ours on every mention; by the language the mention states (or "none" when it states none). */
  ours: Evaluation;
  byLang: Record<string, Evaluation>;
  /** On the mentions the listening tool labelled: the tool's and ours. */
  labelled: number;
  tool: Evaluation;
  oursOnLabelled: Evaluation;
  /** Language detection on the mentions that state their language. */
  langDetect: { n: number; accuracy: number };
}

/** Scores a demo folder's social/mentions.ndjson against truth/mentions.csv. */
export function demoReport(demoDir: string, scorer = new SentimentScorer()): DemoReport {
  const truth = new Map<string, number>();
  const lines = readFileSync(join(demoDir, 'truth/mentions.csv'), 'utf8').split('\n');
  for (let i = 1; i < lines.length; i++) {
    if (!lines[i]) continue;
    const [id, , s] = lines[i].split(',');
    truth.set(id, CODE[s]);
  }
  const t: number[] = [], p: number[] = [], tl: number[] = [], tool: number[] = [], ol: number[] = [];
  const byLang: Record<string, { t: number[]; p: number[] }> = {};
  let langN = 0, langOk = 0;
  for (const line of readFileSync(join(demoDir, 'social/mentions.ndjson'), 'utf8').split('\n')) {
    if (!line) continue;
    const m = JSON.parse(line) as { id: string; text: string; lang?: string; sentiment: string | null };
    const y = truth.get(m.id);
    if (y === undefined) continue;
    scorer.scoreInto(m.text, m.lang);
    const yhat = scorer.argmax();
    t.push(y); p.push(yhat);
    const key = m.lang ?? 'none';
    (byLang[key] ??= { t: [], p: [] }).t.push(y);
    byLang[key].p.push(yhat);
    if (m.sentiment !== null) { tl.push(y); tool.push(CODE[m.sentiment]); ol.push(yhat); }
    if (m.lang) { langN++; if (detectLanguage(m.text) === m.lang) langOk++; }
  }
  return {
    mentions: t.length, ours: evaluate(t, p), byLang: Object.fromEntries(Object.entries(byLang).map(([k, v]) => [k, evaluate(v.t, v.p)])),
    labelled: tl.length, tool: evaluate(tl, tool), oursOnLabelled: evaluate(tl, ol), langDetect: { n: langN, accuracy: langN ? langOk / langN : 0 },
  };
}

export function formatDemoReport(name: string, r: DemoReport): string {
  return [
    formatTable(`demo ${name}: ${r.mentions.toLocaleString('en-US')} mentions, ours against the truth (by stated language)`, { all: r.ours, ...r.byLang }),
    `  on the ${r.labelled.toLocaleString('en-US')} mentions the listening tool labelled: tool accuracy ${r.tool.accuracy.toFixed(3)} (macro-F1 ${r.tool.macroF1.toFixed(3)}), ours ${r.oursOnLabelled.accuracy.toFixed(3)} (macro-F1 ${r.oursOnLabelled.macroF1.toFixed(3)})`,
    `  language detection on the ${r.langDetect.n.toLocaleString('en-US')} mentions that state their language: ${r.langDetect.accuracy.toFixed(3)}`,
  ].join('\n');
}

export interface GeneratedReport {
  n: number;
  /** Texts with a negation or contrast (the generator's "tricky" templates) and the others: ours vs the tool. */
  tricky: { n: number; ours: number; tool: number };
  plain: { n: number; ours: number; tool: number };
}

/**
 * Mentions drawn from the demo generator's templates (organic, reviews, crisis; all three languages) with the
 * listening tool's simulated label, so that the negation templates can be counted apart.
 */
export function generatedReport(n: number, seed = 11, scorer = new SentimentScorer()): GeneratedReport {
  const rng = new Rng(seed);
  const acc = { tricky: { n: 0, ours: 0, tool: 0, toolN: 0 }, plain: { n: 0, ours: 0, tool: 0, toolN: 0 } };
  for (let i = 0; i < n; i++) {
    const lang = (['es', 'es', 'es', 'es', 'es', 'pt', 'pt', 'pt', 'en', 'en'] as const)[rng.int(0, 9)];
    const truth = rng.pick(SENTIMENTS);
    const kind = rng.chance(0.15) ? 'review' : rng.chance(0.05) ? 'crisis' : 'organic';
    const m = mentionText(rng, lang, rng.pick(BRANDS), truth, kind);
    const a = m.tricky ? acc.tricky : acc.plain;
    a.n++;
    scorer.scoreInto(m.text, lang);
    if (LABELS[scorer.argmax()] === truth) a.ours++;
    const tool = toolLabel(rng, truth, m.tricky);
    if (tool !== null) { a.toolN++; if (tool === truth) a.tool++; }
  }
  const out = (a: typeof acc.tricky) => ({ n: a.n, ours: a.ours / a.n, tool: a.tool / a.toolN });
  return { n, tricky: out(acc.tricky), plain: out(acc.plain) };
}

export function formatGeneratedReport(r: GeneratedReport): string {
  return [
    `${r.n.toLocaleString('en-US')} mentions from the demo generator's templates: accuracy ours / listening tool (on what it labels)`,
    `  with a negation or contrast (${r.tricky.n.toLocaleString('en-US')}): ${r.tricky.ours.toFixed(3)} / ${r.tricky.tool.toFixed(3)}`,
    `  the others (${r.plain.n.toLocaleString('en-US')}): ${r.plain.ours.toFixed(3)} / ${r.plain.tool.toFixed(3)}`,
  ].join('\n');
}

/** Share of each language's val texts detected as that language. */
export function valLanguageAccuracy(dir: string): Record<Lang, number> {
  return Object.fromEntries(LANGS.map((l) => {
    const ex = readSplit(dir, l, 'val');
    return [l, ex.filter((e) => detectLanguage(e.text) === l).length / ex.length];
  })) as Record<Lang, number>;
}

async function main() {
  const dir = sentimentDataDir();
  if (dir) {
    const val = LANGS.flatMap((l) => readSplit(dir, l, 'val'));
    console.log(formatTable('val split, shipped model', evaluateScorer(new SentimentScorer(), val)));
    console.log(`language detection on val: ${Object.entries(valLanguageAccuracy(dir)).map(([l, a]) => `${l} ${a.toFixed(3)}`).join(', ')}`);
  }
  console.log(formatGeneratedReport(generatedReport(30_000)));
  const demos = process.argv.slice(2);
  if (demos.length === 0) for (const s of ['small-42', 'default-42']) if (existsSync(join(DEMO_DIR, s, 'truth/mentions.csv'))) demos.push(join(DEMO_DIR, s));
  for (const d of demos) {
    const t = performance.now();
    const r = demoReport(d);
    console.log(formatDemoReport(d, r) + `\n  (${Math.round(performance.now() - t)} ms)`);
  }
}

if (process.argv[1]?.endsWith('report.ts')) await main();
