/**
 * Language of a short text: Spanish, Portuguese, English or none of them (null).
 *
 * Naive Bayes over character trigrams of the words (padded with spaces: " no", "ão ", "the"), with profiles
 * learnt from the labelled tweets of each language (langid.json, written by train.ts), plus hand-written
 * function-word lists that weigh heavily on the short texts of social mentions. Handles, links, digits and
 * emoji are left out (a hashtag counts as its word). null when the text has fewer than 3 letters outside
 * hashtags, is mostly not in Latin script, or reads more like French, Italian, German or Catalan by its
 * function words.
 */
import { readFileSync } from 'node:fs';
import { STOPWORDS, type Lang, LANGS } from './lexicon.ts';

export interface LangProfiles {
  version: 1;
  /** Per language: log-probability of each kept trigram, and of any other trigram. */
  langs: Record<Lang, { unseen: number; grams: Record<string, number> }>;
}

const STRIP = /https?:\/\/\S+|www\.\S+|[@＠][\p{L}\p{N}_.]+|\\u[0-9a-fA-F]{4}/gu;
const WORD = /\p{L}+(?:['’]\p{L}+)*/gu;
const HASHTAG = /#[\p{L}\p{N}_]+/gu;
const LETTER = /\p{L}/gu;
/** Weight of one function-word hit, in nats: enough for two of them to outweigh a short text's trigrams. */
const STOP_WEIGHT = 2.5;

/** The words of a text as language identification sees them (lower case, accents kept). */
export function langWords(text: string): string[] {
  return text.toLowerCase().replace(STRIP, ' ').match(WORD) ?? [];
}

export function trainLangProfiles(texts: Record<Lang, string[]>, keep = 3000): LangProfiles {
  const langs = {} as LangProfiles['langs'];
  for (const lang of LANGS) {
    const counts = new Map<string, number>();
    let total = 0;
    for (const t of texts[lang]) {
      for (const w of langWords(t)) {
        const s = ` ${w} `;
        for (let i = 0; i + 3 <= s.length; i++) {
          const g = s.slice(i, i + 3);
          counts.set(g, (counts.get(g) ?? 0) + 1);
          total++;
        }
      }
    }
    const top = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, keep);
    const kept = top.reduce((s, [, n]) => s + n, 0);
    const grams: Record<string, number> = {};
    for (const [g, n] of top) grams[g] = round(Math.log(n / (total + 1)));
    // What the dropped trigrams share, spread over many more possible ones.
    const unseen = round(Math.log(Math.max(1, total - kept) / (total + 1) / 20000));
    langs[lang] = { unseen, grams };
  }
  return { version: 1, langs };
}
const round = (x: number) => Math.round(x * 100) / 100;

/** Trigram → three log-probabilities (es, pt, en), keyed by the three char codes when they are all < 1024. */
let profiles: { grams: Map<number, number>; table: Float64Array; unseen: Float64Array } | null = null;
function load() {
  if (profiles === null) setLangProfiles(JSON.parse(readFileSync(new URL('./langid.json', import.meta.url), 'utf8')) as LangProfiles);
  return profiles!;
}
const gramKey = (a: number, b: number, c: number) => (a < 1024 && b < 1024 && c < 1024 ? (a * 1024 + b) * 1024 + c : -1);
export function setLangProfiles(p: LangProfiles) {
  const unseen = Float64Array.from(LANGS, (l) => p.langs[l].unseen);
  const grams = new Map<number, number>();
  const rows: number[] = [];
  LANGS.forEach((l, li) => {
    for (const [g, lp] of Object.entries(p.langs[l].grams)) {
      const key = gramKey(g.charCodeAt(0), g.charCodeAt(1), g.charCodeAt(2));
      if (key < 0) continue;
      let row = grams.get(key);
      if (row === undefined) { row = rows.length; grams.set(key, row); rows.push(unseen[0], unseen[1], unseen[2]); }
      rows[row + li] = lp;
    }
  });
  profiles = { grams, table: Float64Array.from(rows), unseen };
}

/** Function words: word → bit mask of languages (es 1, pt 2, en 4, fr 8, it 16, de 32, ca 64). */
const STOP_LANGS = ['es', 'pt', 'en', 'fr', 'it', 'de', 'ca'] as const;
const stopBits = new Map<string, number>();
STOP_LANGS.forEach((l, i) => { for (const w of STOPWORDS[l].split(' ')) stopBits.set(w, (stopBits.get(w) ?? 0) | (1 << i)); });

export interface LangScores { lang: Lang | null; scores: Record<Lang, number> }

export function detectLanguage(text: string): Lang | null {
  return languageScores(text).lang;
}

export function languageScores(text: string): LangScores {
  const { grams, table, unseen } = load();
  let s0 = 0, s1 = 0, s2 = 0;
  const words = langWords(text);
  let letters = 0, latin = 0;
  const stop = [0, 0, 0, 0, 0, 0, 0];
  for (const w of words) {
    letters += w.length;
    for (let i = 0; i < w.length; i++) {
      const c = w.charCodeAt(i);
      if ((c >= 97 && c <= 122) || (c >= 0xe0 && c <= 0x24f)) latin++;
    }
    // Trigrams of " word ".
    let a = 32, b = 32;
    for (let i = 0; i <= w.length; i++) {
      const c = i < w.length ? w.charCodeAt(i) : 32;
      if (i > 0 || w.length === 0) {
        const key = gramKey(a, b, c);
        const row = key >= 0 ? grams.get(key) : undefined;
        if (row === undefined) { s0 += unseen[0]; s1 += unseen[1]; s2 += unseen[2]; }
        else { s0 += table[row]; s1 += table[row + 1]; s2 += table[row + 2]; }
      }
      a = b; b = c;
    }
    const bits = stopBits.get(w);
    if (bits !== undefined) for (let i = 0; i < 7; i++) if (bits & (1 << i)) stop[i]++;
  }
  s0 += STOP_WEIGHT * stop[0]; s1 += STOP_WEIGHT * stop[1]; s2 += STOP_WEIGHT * stop[2];
  const scores: Record<Lang, number> = { es: s0, pt: s1, en: s2 };
  // Hashtags help to tell the language but are not enough alone ("#ootd").
  const plain = text.indexOf('#') >= 0 ? (text.replace(STRIP, ' ').replace(HASHTAG, ' ').match(LETTER)?.length ?? 0) : letters;
  if (plain < 3 || latin < letters * 0.5) return { lang: null, scores };
  const best: Lang = s0 >= s1 && s0 >= s2 ? 'es' : s1 >= s2 ? 'pt' : 'en';
  const bestStop = stop[best === 'es' ? 0 : best === 'pt' ? 1 : 2];
  // Another language's function words clearly outnumber the best of ours.
  const otherMax = Math.max(stop[3], stop[4], stop[5], stop[6]);
  if (otherMax >= 2 && otherMax > bestStop) return { lang: null, scores };
  return { lang: best, scores };
}
