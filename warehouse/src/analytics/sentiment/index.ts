/**
 * Sentiment of social mentions in Spanish, Portuguese and English, offline: a linear model over hashed word,
 * character and lexicon features whose weights ship in model.json (see README.md beside this file).
 */
import { FeatureBuffer } from './features.ts';
import { detectLanguage } from './langid.ts';
import type { Lang } from './lexicon.ts';
import { LABELS, classProbs, shippedModel, type LinearModel, type SentimentLabel } from './model.ts';

export { detectLanguage } from './langid.ts';
export type { Lang } from './lexicon.ts';
export type { SentimentLabel } from './model.ts';

export interface SentimentResult {
  /** P(positive) − P(negative), in −1 … 1. */
  score: number;
  label: SentimentLabel;
  /** The language scored with: the one given, else the detected one; null when neither. */
  lang: Lang | null;
}

const LANG_SET = new Set<string>(['es', 'pt', 'en']);
/** A language code as given by a source ("es", "pt-BR", "EN"), or null when it is not one of ours. */
export function normalizeLang(lang: string | null | undefined): Lang | null {
  if (!lang) return null;
  const l = lang.slice(0, 2).toLowerCase();
  return LANG_SET.has(l) ? (l as Lang) : null;
}

/**
 * Scores one text. `lang` is the mention's language when the source gives it; without it (or when it is not
 * es/pt/en) the language is detected, and a text in none of them is scored with the language-neutral features.
 */
export function scoreSentiment(text: string, lang?: string | null): SentimentResult {
  return (shared ??= new SentimentScorer()).score(text, lang);
}
let shared: SentimentScorer | undefined;

/** Scores many texts (langs[i] as for scoreSentiment; missing ones detected). */
export function scoreSentiments(texts: readonly string[], langs?: readonly (string | null | undefined)[]): SentimentResult[] {
  const s = new SentimentScorer();
  const out: SentimentResult[] = new Array(texts.length);
  for (let i = 0; i < texts.length; i++) out[i] = s.score(texts[i], langs?.[i]);
  return out;
}

/** Columnar batch scoring: no object per text, for millions of mentions. */
export function scoreSentimentColumns(texts: readonly string[], langs?: readonly (string | null | undefined)[]): { score: Float32Array; label: Uint8Array; lang: (Lang | null)[] } {
  const s = new SentimentScorer();
  const score = new Float32Array(texts.length);
  const label = new Uint8Array(texts.length);
  const lang: (Lang | null)[] = new Array(texts.length);
  for (let i = 0; i < texts.length; i++) {
    const l = s.scoreInto(texts[i], langs?.[i]);
    score[i] = s.probs[2] - s.probs[0];
    label[i] = s.argmax();
    lang[i] = l;
  }
  return { score, label, lang };
}
/** label codes of scoreSentimentColumns: 0 negative, 1 neutral, 2 positive. */
export { LABELS as SENTIMENT_LABELS };

/** A reusable scorer (its buffers are reused across texts). */
export class SentimentScorer {
  readonly probs = new Float64Array(3);
  private readonly buf = new FeatureBuffer();
  constructor(private readonly model: LinearModel = shippedModel()) {}

  score(text: string, lang?: string | null): SentimentResult {
    const l = this.scoreInto(text, lang);
    return { score: this.probs[2] - this.probs[0], label: LABELS[this.argmax()], lang: l };
  }

  /** Fills `probs` and returns the language used. */
  scoreInto(text: string, lang?: string | null): Lang | null {
    const l = normalizeLang(lang) ?? detectLanguage(text);
    classProbs(this.model, text, l, this.buf, this.probs);
    return l;
  }

  argmax(): number {
    const p = this.probs;
    return p[0] > p[1] ? (p[0] > p[2] ? 0 : 2) : p[1] >= p[2] ? 1 : 2;
  }
}
