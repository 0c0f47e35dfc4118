/** The labelled tweets (fixtures/sentiment, a copy of shared/data/sentiment) used to train and check the scorer. */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { REPO_ROOT } from '../../paths.ts';
import type { Lang } from './lexicon.ts';

export const DATA_FOLDER: Record<Lang, string> = { es: 'spanish', pt: 'portuguese', en: 'english' };

/** SCRM_SENTIMENT_DATA, else the copy in fixtures/sentiment (so a clean clone trains and tests without anything beside it). */
export function sentimentDataDir(): string | null {
  const candidates = [process.env.SCRM_SENTIMENT_DATA, resolve(REPO_ROOT, 'fixtures/sentiment'), resolve(REPO_ROOT, '../shared/data/sentiment')];
  for (const c of candidates) if (c && existsSync(join(c, 'spanish/train_text.txt'))) return c;
  return null;
}

export interface Labelled { text: string; label: number; lang: Lang }

export function readSplit(dir: string, lang: Lang, split: 'train' | 'val' | 'test'): Labelled[] {
  const base = join(dir, DATA_FOLDER[lang]);
  const texts = readFileSync(join(base, `${split}_text.txt`), 'utf8').replace(/\r?\n$/, '').split(/\r?\n/);
  const labels = readFileSync(join(base, `${split}_labels.txt`), 'utf8').replace(/\r?\n$/, '').split(/\r?\n/);
  if (texts.length !== labels.length) throw new Error(`${base}/${split}: ${texts.length} texts but ${labels.length} labels`);
  return texts.map((text, i) => {
    const label = Number(labels[i].trim());
    if (label !== 0 && label !== 1 && label !== 2) throw new Error(`${base}/${split}_labels.txt line ${i + 1}: label ${labels[i]}`);
    return { text, label, lang };
  });
}
