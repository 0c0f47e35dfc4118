/**
 * Text → hashed sparse features for the linear sentiment model, and the rule-based lexicon score that is one
 * of those features.
 *
 * One pass over the tokens (words, emoji, emoticons, star ratings, punctuation) gives:
 * - word unigrams and bigrams (lower case, accents folded, letter runs cut to two: "buenoooo" → "buenoo"); a
 *   word inside a negation scope (after "no", "não", "nunca", "not", "n't", "nada", "nem", "ni", "sin"… up to
 *   the next punctuation, contrast word or 4 words) is a different feature ("NOT_gustó");
 * - character 2–4-grams of the cleaned text (handles, links and digits masked), those of negated words apart;
 * - the lexicon score: polarities summed with negation flips (×−0.8), intensifiers (×1.5), diminishers
 *   (×0.5), "never … again" / "nunca más" (−1.5) and contrast words weighting the clause after them ×1 and
 *   the one before ×0.5, a question ×0.3; emoji, emoticons and 1–5 star ratings add their own polarity;
 * - counts of "!", "?", elongated words, upper-case words, emoji, handles, links.
 * Every feature is hashed (32-bit FNV-1a, murmur finaliser) into 2^bits (2^18) buckets; with a language, each also
 * gets a language-specific copy so that one model serves the three languages and shares what they have in common.
 */
import { EMOTICONS, LEXICONS, emojiPolarity, fold, type Lang, type LangLexicon } from './lexicon.ts';

export interface FeatureConfig {
  bits: number;
  charMin: number;
  charMax: number;
  /** Scale of the character n-gram block (values are 1/sqrt(count of n-grams) × charWeight). */
  charWeight: number;
  bigrams: boolean;
  /** Add a language-specific copy of every feature (of the word and symbol features only, without charLangCopy). */
  langCopy: boolean;
  charLangCopy: boolean;
  /** Scale of the lexicon-score features (a larger scale is a weaker L2 penalty on them). */
  lexWeight: number;
}

export const DEFAULT_FEATURES: FeatureConfig = { bits: 18, charMin: 2, charMax: 4, charWeight: 1, bigrams: true, langCopy: true, charLangCopy: false, lexWeight: 3 };

export interface LexiconScore {
  /** Sum of positive and of negative contributions (the latter ≥ 0) after negation, intensity and questions. */
  pos: number;
  neg: number;
  /** Net polarity, the clause after the last contrast word weighted 1 and the text before it 0.5. */
  total: number;
  /** Words or symbols with a polarity; negated hits. */
  hits: number;
  negated: number;
}

const TOKEN = /https?:\/\/\S+|www\.\S+|[@＠][\p{L}\p{N}_.]*[\p{L}\p{N}_]|#[\p{L}\p{N}_]+|[:;=][-']?[)(\]dp/|@s3]|\(:|\):|<\/?3|\^_?\^|[★☆]{3,5}|\p{L}[\p{L}\p{M}\p{N}'’_]*|\p{N}+(?:[.,:]\p{N}+)*|\p{Extended_Pictographic}|[!?¡¿]+|[.,;:…]+/gu;
const ESCAPE = /\\u([0-9a-fA-F]{4})/g;
const RUNS3 = /(.)\1\1+/g;
const RUNS2 = /(.)\1+/g;
const EXCL = 1, QUEST = 2;

/** Undo literal "\u2019"-style escapes (present in some exported tweets). */
export function unescapeText(t: string): string {
  return t.indexOf('\\u') >= 0 ? t.replace(ESCAPE, (_, h: string) => String.fromCharCode(parseInt(h, 16))) : t;
}

// Hashing ------------------------------------------------------------------------------------------------
function fnv(s: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
function mix(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}
const SEED = { word: 0x811c9dc5, neg: 0x1b873593, bigram: 0x2f1a3c4d, char: 0x3c6ef372, negChar: 0x6a09e667, sym: 0x5bd1e995 };
const LANG_SALT: Record<Lang, number> = { es: 0x9e3779b1, pt: 0x7f4a7c15, en: 0x94d049bb };
const symHash = new Map<string, number>();
function sym(name: string): number {
  let h = symHash.get(name);
  if (h === undefined) { h = fnv(name, SEED.sym); symHash.set(name, h); }
  return h;
}

// Symbols used on every text, hashed once.
const S_STOP = sym('<.>');
const S_CONTRAST = sym('<contrast>');
const S_ELONG = sym('<elong>');
const S_EMOJI = sym('<emoji>');
const S_EXCL = sym('<excl>');
const S_LEX_NEG = sym('<lex-neg>');
const S_LEX_NONE = sym('<lex-none>');
const S_LEX_POS = sym('<lex-pos>');
const S_LEX_TOTAL = sym('<lex-total>');
const S_NEGATOR = sym('<negator>');
const S_NEVER_AGAIN = sym('<never-again>');
const S_NUM = sym('<num>');
const S_QUEST = sym('<quest>');
const S_QUESTION_ONLY = sym('<question-only>');
const S_UPPER = sym('<upper>');
const S_URL = sym('<url>');
const S_URLS = sym('<urls>');
const S_USER = sym('<user>');
const S_USERS = sym('<users>');
const S_NEGATED_POS = sym('<negated+>'), S_NEGATED_NEG = sym('<negated->');
const S_Q = sym('<?>'), S_X = sym('<!>');
const S_LEX_P = sym('<lex+>'), S_LEX_M = sym('<lex->'), S_LEX_0 = sym('<lex0>');
const S_SHORT = sym('<short>'), S_MEDIUM = sym('<medium>'), S_LONG = sym('<long>');

interface WordInfo { key: string; hash: number; negHash: number; lex: string; elongated: boolean }
const wordCache = new Map<string, WordInfo>();
const ONE_LEXICON: Record<Lang, LangLexicon[]> = { es: [LEXICONS.es], pt: [LEXICONS.pt], en: [LEXICONS.en] };
const ALL_LEXICONS = [LEXICONS.es, LEXICONS.pt, LEXICONS.en];
function wordInfo(raw: string): WordInfo {
  let w = wordCache.get(raw);
  if (w === undefined) {
    let key = fold(raw.replace(/['’]/g, ''));
    const elongated = RUNS3.test(key);
    RUNS3.lastIndex = 0;
    if (elongated) key = key.replace(RUNS3, '$1$1');
    const lex = elongated ? key.replace(RUNS2, '$1') : key;
    w = { key, hash: fnv(key, SEED.word), negHash: fnv(key, SEED.neg), lex, elongated };
    if (wordCache.size > 300_000) wordCache.clear();
    wordCache.set(raw, w);
  }
  return w;
}

/** Collects (hash, value) pairs; repeated hashes are kept (the model sums them). */
export class FeatureBuffer {
  hashes = new Uint32Array(1024);
  values = new Float32Array(1024);
  n = 0;
  /** Set by extract: bucket mask and the language salt (0: no language copy). */
  mask = 0;
  salt = 0;
  /** Lexicon contributions of the sentence being read, and the totals (see extract). */
  pendPos = 0;
  pendNeg = 0;
  pos = 0;
  neg = 0;
  after = 0;
  /** A feature, and its language-specific copy. */
  add(h: number, v: number) {
    this.push(h & this.mask, v);
    if (this.salt !== 0) this.push(mix(h ^ this.salt) & this.mask, v);
  }
  /** A feature without a language copy. */
  addShared(h: number, v: number) {
    this.push(h & this.mask, v);
  }
  contribute(v: number) {
    if (v > 0) this.pendPos += v; else this.pendNeg -= v;
  }
  /** Ends a sentence: its contributions count f times (0.3 for a question). */
  flush(f: number) {
    this.pos += this.pendPos * f; this.neg += this.pendNeg * f; this.after += (this.pendPos - this.pendNeg) * f;
    this.pendPos = 0; this.pendNeg = 0;
  }
  push(h: number, v: number) {
    if (this.n === this.hashes.length) {
      const h2 = new Uint32Array(this.n * 2); h2.set(this.hashes); this.hashes = h2;
      const v2 = new Float32Array(this.n * 2); v2.set(this.values); this.values = v2;
    }
    this.hashes[this.n] = h >>> 0;
    this.values[this.n++] = v;
  }
}

/**
 * Features of one text into `out` (cleared first), as bucket indices (already masked and language-copied).
 * Returns the lexicon score, which is also among the features.
 */
export function extract(text: string, lang: Lang | null, cfg: FeatureConfig, out: FeatureBuffer): LexiconScore {
  out.n = 0;
  out.mask = (1 << cfg.bits) - 1;
  out.salt = lang !== null && cfg.langCopy ? LANG_SALT[lang] : 0;
  out.pendPos = out.pendNeg = out.pos = out.neg = out.after = 0;
  const lexicons = lang !== null ? ONE_LEXICON[lang] : ALL_LEXICONS;
  const t = unescapeText(text);
  const lower = t.toLowerCase();
  const aligned = lower.length === t.length;

  let clean = ' ';
  let negClean = ' ';
  let prevHash = 0x12345;
  let scope = 0;
  let intens = 1;
  let before = 0, contrast = false;
  let hits = 0, negated = 0;
  let excl = 0, quest = 0, elong = 0, upper = 0, emoji = 0, users = 0, urls = 0, words = 0, flags = 0;
  // Lexicon contributions wait for the end of their sentence: a question ("¿alguien sabe si es buena?")
  // counts 0.3 (out.contribute, out.flush).

  TOKEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = TOKEN.exec(lower)) !== null) {
    const tok = m[0];
    const c0 = tok.charCodeAt(0);
    if (c0 === 104 /* h */ && (tok.startsWith('http://') || tok.startsWith('https://')) || tok.startsWith('www.')) {
      urls++; prevHash = S_URL; clean += 'U '; continue;
    }
    if (c0 === 64 /* @ */ || c0 === 0xff20) {
      users++; prevHash = S_USER; clean += '@ '; continue;
    }
    if (c0 === 35 /* # */) {
      const w = wordInfo(tok.slice(1));
      out.add(w.hash ^ 0x5f3759df, 1); // the hashtag as itself
      out.add(w.hash, 0.5); // and as a word
      clean += '#' + w.key + ' ';
      continue;
    }
    const isLetter = c0 > 0x7f ? /\p{L}/u.test(tok[0]) : (c0 >= 97 && c0 <= 122);
    if (isLetter) {
      const w = wordInfo(tok);
      words++;
      if (w.elongated) elong++;
      // Upper-case words (in the original text), 3+ letters.
      if (tok.length >= 3 && aligned) {
        let k = m.index;
        const end = k + tok.length;
        while (k < end && t.charCodeAt(k) !== lower.charCodeAt(k)) k++;
        if (k === end) upper++;
      }
      if (scope > 0) negClean += w.key + ' '; else clean += w.key + ' ';
      let e = lexicons[0].get(w.lex);
      if (lexicons.length > 1) for (let i = 1; i < lexicons.length && e.polarity === 0 && !e.negator; i++) e = lexicons[i].get(w.lex);
      const negatorNt = lang !== 'es' && lang !== 'pt' && (tok.endsWith("n't") || tok.endsWith('n’t'));
      if (e.contrast) {
        out.flush(1);
        scope = 0; contrast = true; before += out.after; out.after = 0; intens = 1;
        out.add(S_CONTRAST, 1);
        if (cfg.bigrams) out.add(mix(prevHash * 31 + w.hash) ^ SEED.bigram, 1);
        out.add(w.hash, 1);
        prevHash = w.hash;
        continue;
      }
      if (e.negator || negatorNt) {
        out.add(w.hash, 1);
        out.add(S_NEGATOR, 1);
        if (cfg.bigrams) out.add(mix(prevHash * 31 + w.hash) ^ SEED.bigram, 1);
        prevHash = w.hash;
        scope = 4;
        continue;
      }
      out.add(scope > 0 ? w.negHash : w.hash, 1);
      if (cfg.bigrams) out.add(mix(prevHash * 31 + w.hash) ^ SEED.bigram, 1);
      prevHash = w.hash;
      if (e.intensifier) { intens = 1.5; continue; }
      if (e.diminisher) { intens = 0.5; continue; }
      if (e.again && scope > 0) {
        out.contribute(-1.5); hits++;
        out.add(S_NEVER_AGAIN, 1);
      } else if (e.polarity !== 0) {
        let v = e.polarity * intens;
        hits++;
        if (scope > 0) { v *= -0.8; negated++; out.add(e.polarity > 0 ? S_NEGATED_POS : S_NEGATED_NEG, 1); }
        out.contribute(v);
        intens = 1;
      }
      if (scope > 0) scope--;
      continue;
    }
    // Emoticons before punctuation: ":)" starts with a colon.
    const emo = EMOTICONS[tok];
    if (emo !== undefined) {
      out.add(sym('emoticon:' + tok), 1);
      out.contribute(emo); hits++;
      scope = 0;
      continue;
    }
    if (c0 >= 48 && c0 <= 57) { prevHash = S_NUM; clean += '0 '; continue; }
    if (c0 === 0x2605 || c0 === 0x2606) { // ★★★★☆
      let stars = 0;
      for (let i = 0; i < tok.length; i++) if (tok.charCodeAt(i) === 0x2605) stars++;
      out.add(sym('<stars>' + stars), 1);
      const v = (stars - 3) * (tok.length === 5 ? 1 : 5 / tok.length);
      if (v !== 0) { out.contribute(v); hits++; }
      scope = 0;
      continue;
    }
    if (c0 === 33 || c0 === 63 || c0 === 0xa1 || c0 === 0xbf) {
      if (tok.includes('!') || tok.includes('¡')) { excl++; flags |= EXCL; }
      if (tok.includes('?') || tok.includes('¿')) { quest++; flags |= QUEST; }
      out.flush(tok.includes('?') ? 0.3 : 1);
      scope = 0; intens = 1; prevHash = tok.includes('?') ? S_Q : S_X;
      clean += tok.charAt(0) + ' ';
      continue;
    }
    if (c0 === 46 || c0 === 44 || c0 === 59 || c0 === 58 || c0 === 0x2026) {
      if (c0 !== 44) out.flush(1);
      scope = 0; intens = 1; prevHash = S_STOP;
      continue;
    }
    // Emoji (one pictographic code point).
    emoji++;
    out.add(sym('emoji:' + tok), 1);
    const p = emojiPolarity(tok);
    if (p !== 0) { out.contribute(p); hits++; }
    clean += tok + ' ';
    scope = 0;
  }

  out.flush(1);
  // Character n-grams of the cleaned text; those of negated words apart.
  if (cfg.charMax >= cfg.charMin) {
    charGrams(clean, cfg, SEED.char, out);
    if (negClean.length > 1) charGrams(negClean, cfg, SEED.negChar, out);
  }
  const { pos, neg, after } = out;

  // Lexicon and shape features.
  const lexTotal = contrast ? before * 0.5 + after : after;
  const lw = cfg.lexWeight;
  if (hits > 0) {
    out.add(S_LEX_POS, (lw * Math.min(pos, 4)) / 2);
    out.add(S_LEX_NEG, (lw * Math.min(neg, 4)) / 2);
    out.add(S_LEX_TOTAL, (lw * Math.max(-4, Math.min(4, lexTotal))) / 2);
    out.add(lexTotal > 0.3 ? S_LEX_P : lexTotal < -0.3 ? S_LEX_M : S_LEX_0, lw);
  } else out.add(S_LEX_NONE, lw);
  if (excl) out.add(S_EXCL, Math.min(excl, 3));
  if (quest) out.add(S_QUEST, Math.min(quest, 3));
  if (elong) out.add(S_ELONG, Math.min(elong, 3));
  if (upper) out.add(S_UPPER, Math.min(upper, 3));
  if (emoji) out.add(S_EMOJI, Math.min(emoji, 3));
  if (users) out.add(S_USERS, Math.min(users, 3));
  if (urls) out.add(S_URLS, 1);
  if (flags & QUEST && !(flags & EXCL)) out.add(S_QUESTION_ONLY, 1);
  out.add(words < 5 ? S_SHORT : words < 12 ? S_MEDIUM : S_LONG, 1);
  return { pos, neg, total: lexTotal, hits, negated };
}

function charGrams(s: string, cfg: FeatureConfig, seed: number, out: FeatureBuffer): void {
  const copy = cfg.charLangCopy;
  const len = s.length;
  const { charMin, charMax } = cfg;
  const count = Math.max(1, (len - charMin + 1) * (charMax - charMin + 1));
  const v = cfg.charWeight / Math.sqrt(count);
  for (let i = 0; i + charMin <= len; i++) {
    let h = seed;
    const end = Math.min(len, i + charMax);
    for (let j = i; j < end; j++) {
      h ^= s.charCodeAt(j);
      h = Math.imul(h, 0x01000193);
      if (j - i + 1 >= charMin) {
        if (copy) out.add(mix(h ^ (j - i + 1)), v); else out.addShared(mix(h ^ (j - i + 1)), v);
      }
    }
  }
}
