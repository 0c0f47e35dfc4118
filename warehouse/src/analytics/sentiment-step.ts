import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from '../db/duckdb.ts';
import { literal } from '../db/duckdb.ts';
import { SENTIMENT_LABELS, SentimentScorer, normalizeLang } from './sentiment/index.ts';

/**
 * The sentiment step of a build (a model header's `analytics: sentiment`): scores the mentions of the table that
 * our scorer has not scored yet (sentiment_method null — on an incremental build, only the new load's), with
 * language detection where the source gave no language. Texts are read from raw.mentions in batches, so memory
 * stays flat however many mentions a full build scores; the scores return through one bulk CSV read.
 */
export const SENTIMENT_METHOD = 'model';
const BATCH = 200_000;
/** Above this many scored rows, rewriting the table is cheaper than updating it in place. */
const REWRITE_ABOVE = 200_000;

export interface SentimentStepResult {
  scored: number;
  detected: number;
  ms: number;
}

export async function runSentimentStep(c: Connection, table: string): Promise<SentimentStepResult> {
  const t0 = performance.now();
  await c.run(`CREATE OR REPLACE TEMP TABLE _sentiment_todo AS
    SELECT row_number() OVER () AS i, t.mention_id, r.text, t.lang
    FROM ${table} t JOIN raw.mentions r USING (mention_id) WHERE t.sentiment_method IS NULL`);
  const n = Number(await c.value(`SELECT count(*) FROM _sentiment_todo`));
  if (n === 0) {
    await c.run(`DROP TABLE _sentiment_todo`);
    return { scored: 0, detected: 0, ms: performance.now() - t0 };
  }
  const dir = mkdtempSync(join(tmpdir(), 'scrm-sentiment-'));
  const file = join(dir, 'scores.csv');
  const scorer = new SentimentScorer();
  let detected = 0;
  try {
    writeFileSync(file, '');
    for (let from = 1; from <= n; from += BATCH) {
      const reader = await c.raw.runAndReadAll(`SELECT mention_id, text, lang FROM _sentiment_todo WHERE i >= ${from} AND i < ${from + BATCH} ORDER BY i`);
      const [ids, texts, langs] = reader.getColumnsJS() as [string[], (string | null)[], (string | null)[]];
      const lines: string[] = [];
      for (let k = 0; k < ids.length; k++) {
        const given = normalizeLang(langs[k]);
        const lang = scorer.scoreInto(texts[k] ?? '', given);
        const score = scorer.probs[2] - scorer.probs[0];
        if (!given && lang) detected++;
        lines.push(`${csv(ids[k])},${lang ?? ''},${!given && !!lang},${score.toFixed(4)},${SENTIMENT_LABELS[scorer.argmax()]}`);
      }
      appendFileSync(file, lines.join('\n') + '\n');
    }
    const scores = `read_csv(${literal(file)}, header = false, quote = '"', columns = {'mention_id': 'VARCHAR', 'lang': 'VARCHAR', 'lang_detected': 'BOOLEAN', 'score': 'DOUBLE', 'label': 'VARCHAR'})`;
    if (n > REWRITE_ABOVE) {
      await c.run(`CREATE OR REPLACE TABLE ${table} AS
        SELECT t.* REPLACE (coalesce(t.lang, s.lang) AS lang, coalesce(s.lang_detected, t.lang_detected) AS lang_detected,
          coalesce(s.score, t.sentiment_score) AS sentiment_score, coalesce(s.label, t.sentiment_label) AS sentiment_label,
          CASE WHEN s.mention_id IS NOT NULL THEN '${SENTIMENT_METHOD}' ELSE t.sentiment_method END AS sentiment_method)
        FROM ${table} t LEFT JOIN ${scores} s USING (mention_id)`);
    } else {
      await c.run(`UPDATE ${table} AS t SET lang = coalesce(t.lang, s.lang), lang_detected = s.lang_detected,
          sentiment_score = s.score, sentiment_label = s.label, sentiment_method = '${SENTIMENT_METHOD}'
        FROM ${scores} s WHERE t.mention_id = s.mention_id`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await c.run(`DROP TABLE IF EXISTS _sentiment_todo`);
  }
  return { scored: n, detected, ms: performance.now() - t0 };
}

const csv = (s: string) => (/[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
