import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from '../db/duckdb.ts';
import { literal } from '../db/duckdb.ts';
import { SENTIMENT_LABELS, SentimentScorer, normalizeLang } from './sentiment/index.ts';

/**
 * The sentiment step of a build (a model header's `analytics: sentiment`): scores the mentions of the table that
 * our scorer has not scored yet (sentiment_method null — on an incremental build, only the new load's), with
 * language detection where the source gave no language.
 *
 * A mention's score, label and detected language are a function of its text and its given language alone, and
 * mentions repeat (shares, campaign copy, template replies): the step scores each distinct (text, language) pair
 * once — read from DuckDB in batches, so memory stays flat however many there are — and the results return
 * through one bulk CSV read, joined back to every mention with that pair.
 */
export const SENTIMENT_METHOD = 'model';
const BATCH = 200_000;
/** Above this many mentions to score, rewriting the table is cheaper than updating it in place. */
const REWRITE_ABOVE = 200_000;

export interface SentimentStepResult {
  /** Mentions scored. */
  scored: number;
  /** Distinct (text, given language) pairs the scorer ran on. */
  distinct: number;
  /** Mentions whose language was detected. */
  detected: number;
  ms: number;
}

export async function runSentimentStep(c: Connection, table: string): Promise<SentimentStepResult> {
  const t0 = performance.now();
  // The pair's key: text and the staged language, null as '' (the scorer reads a null text as '', and a null or
  // empty language as none).
  const key = (t: string, r: string) => `coalesce(${r}.text, '') AS text, coalesce(${t}.lang, '') AS lang`;
  await c.run(`CREATE OR REPLACE TEMP TABLE _sentiment_keys AS
    SELECT row_number() OVER () AS i, text, lang, mentions FROM (
      SELECT ${key('t', 'r')}, count(*) AS mentions
      FROM ${table} t JOIN raw.mentions r USING (mention_id) WHERE t.sentiment_method IS NULL
      GROUP BY ALL)`);
  const [n, distinct] = (await c.raw.runAndReadAll(`SELECT coalesce(sum(mentions), 0)::BIGINT, count(*) FROM _sentiment_keys`)).getRows()[0].map(Number);
  if (n === 0) {
    await c.run(`DROP TABLE _sentiment_keys`);
    return { scored: 0, distinct: 0, detected: 0, ms: performance.now() - t0 };
  }
  const dir = mkdtempSync(join(tmpdir(), 'scrm-sentiment-'));
  const file = join(dir, 'scores.csv');
  const scorer = new SentimentScorer();
  let detected = 0;
  try {
    writeFileSync(file, '');
    for (let from = 1; from <= distinct; from += BATCH) {
      const reader = await c.raw.runAndReadAll(`SELECT i, text, lang, mentions FROM _sentiment_keys WHERE i >= ${from} AND i < ${from + BATCH} ORDER BY i`);
      const [is, texts, langs, counts] = reader.getColumnsJS() as [bigint[], string[], string[], bigint[]];
      const lines: string[] = [];
      for (let k = 0; k < is.length; k++) {
        const given = normalizeLang(langs[k]);
        const lang = scorer.scoreInto(texts[k], given);
        const score = scorer.probs[2] - scorer.probs[0];
        if (!given && lang) detected += Number(counts[k]);
        lines.push(`${is[k]},${lang ?? ''},${!given && !!lang},${score.toFixed(4)},${SENTIMENT_LABELS[scorer.argmax()]}`);
      }
      appendFileSync(file, lines.join('\n') + '\n');
    }
    await c.run(`CREATE OR REPLACE TEMP TABLE _sentiment_scores AS
      SELECT k.text, k.lang, s.* EXCLUDE (i) RENAME (lang AS scored_lang)
      FROM _sentiment_keys k JOIN read_csv(${literal(file)}, header = false,
        columns = {'i': 'BIGINT', 'lang': 'VARCHAR', 'lang_detected': 'BOOLEAN', 'score': 'DOUBLE', 'label': 'VARCHAR'}) s USING (i)`);
    // Every mention with its pair's scores (equality keys only: DuckDB then hash-joins).
    const scored = (t: string) => `${table} ${t} LEFT JOIN raw.mentions r USING (mention_id)
      LEFT JOIN _sentiment_scores s ON s.text = coalesce(r.text, '') AND s.lang = coalesce(${t}.lang, '')`;
    if (n > REWRITE_ABOVE) {
      // A mention scored by an earlier build keeps its scores.
      const fresh = `t.sentiment_method IS NULL AND s.text IS NOT NULL`;
      await c.run(`CREATE OR REPLACE TABLE ${table} AS
        SELECT t.* REPLACE (
          CASE WHEN ${fresh} THEN coalesce(t.lang, s.scored_lang) ELSE t.lang END AS lang,
          CASE WHEN ${fresh} THEN s.lang_detected ELSE t.lang_detected END AS lang_detected,
          CASE WHEN ${fresh} THEN s.score ELSE t.sentiment_score END AS sentiment_score,
          CASE WHEN ${fresh} THEN s.label ELSE t.sentiment_label END AS sentiment_label,
          CASE WHEN ${fresh} THEN '${SENTIMENT_METHOD}' ELSE t.sentiment_method END AS sentiment_method)
        FROM ${scored('t')}`);
    } else {
      await c.run(`UPDATE ${table} AS t SET lang = coalesce(t.lang, s.scored_lang), lang_detected = s.lang_detected,
          sentiment_score = s.score, sentiment_label = s.label, sentiment_method = '${SENTIMENT_METHOD}'
        FROM (SELECT u.mention_id, s.* FROM ${scored('u')} WHERE u.sentiment_method IS NULL) s
        WHERE t.mention_id = s.mention_id`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await c.run(`DROP TABLE IF EXISTS _sentiment_keys`);
    await c.run(`DROP TABLE IF EXISTS _sentiment_scores`);
  }
  return { scored: n, distinct, detected, ms: performance.now() - t0 };
}
