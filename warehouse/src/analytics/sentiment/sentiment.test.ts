import { describe, expect, it } from 'vitest';
import { BRANDS } from '@scrm/fixtures';
import { mentionText, SENTIMENTS, type Lang as FixtureLang } from '@scrm/fixtures/mentions-text';
import { Rng } from '@scrm/fixtures/random';
import { smallDemoDir } from '../../../../tests/setup/paths.ts';
import { readSplit, sentimentDataDir } from './data.ts';
import { detectLanguage, scoreSentiment, scoreSentimentColumns, scoreSentiments, SentimentScorer, SENTIMENT_LABELS } from './index.ts';
import { LANGS } from './lexicon.ts';
import { demoReport, formatDemoReport, formatGeneratedReport, generatedReport, valLanguageAccuracy } from './report.ts';
import { evaluateScorer, formatTable, serialise, trainAll } from './train.ts';

const dataDir = sentimentDataDir();

describe('sentiment scorer on the labelled tweets (val split)', () => {
  it('has macro-F1 ≥ 0.55 in each language, from the shipped weights', () => {
    expect(dataDir, 'shared/data/sentiment (the labelled tweets) beside the repository').not.toBeNull();
    const val = LANGS.flatMap((l) => readSplit(dataDir!, l, 'val'));
    const ev = evaluateScorer(new SentimentScorer(), val);
    console.log(formatTable('val split, shipped model', ev));
    for (const l of LANGS) {
      expect(ev[l].n).toBe(324);
      expect(ev[l].macroF1, `${l} macro-F1`).toBeGreaterThanOrEqual(0.55);
    }
  });
});

describe('language detection', () => {
  it('recognises the val tweets of each language', () => {
    const acc = valLanguageAccuracy(dataDir!);
    console.log(`language detection on val: ${LANGS.map((l) => `${l} ${acc[l].toFixed(3)}`).join(', ')}`);
    for (const l of LANGS) expect(acc[l], l).toBeGreaterThanOrEqual(0.9);
  });

  it('recognises the short texts of the demo generator', () => {
    const rng = new Rng(7);
    let n = 0, ok = 0;
    const wrong: string[] = [];
    for (const lang of ['es', 'pt', 'en'] as FixtureLang[]) {
      for (let i = 0; i < 600; i++) {
        const { text } = mentionText(rng, lang, rng.pick(BRANDS), rng.pick(SENTIMENTS), rng.chance(0.15) ? 'review' : 'organic');
        n++;
        if (detectLanguage(text) === lang) ok++;
        else if (wrong.length < 8) wrong.push(`${lang}: ${text} → ${detectLanguage(text)}`);
      }
    }
    console.log(`language detection on ${n} generated mentions: ${(ok / n).toFixed(3)}${wrong.length ? '\n  e.g. ' + wrong.join('\n  e.g. ') : ''}`);
    expect(ok / n).toBeGreaterThanOrEqual(0.95);
  });

  it('answers null for text in none of the three languages', () => {
    for (const t of ['', '😍😍😍', '#ootd @marea_oficial https://x.com/a', 'Je ne sais pas si je vais acheter cette robe, elle est très chère',
      'Das ist nicht mein Lieblingskleid, aber es ist sehr schön', 'Non è male questo vestito, anche se il prezzo è alto', 'この服はとても可愛いです']) {
      expect(detectLanguage(t), t).toBeNull();
    }
    expect(detectLanguage('No me gustó nada el vestido')).toBe('es');
    expect(detectLanguage('Não gostei nada do vestido')).toBe('pt');
    expect(detectLanguage('Not bad at all!')).toBe('en');
  });
});

describe('negation, intensity and contrast', () => {
  const cases: [string, 'es' | 'pt' | 'en', 'positive' | 'neutral' | 'negative'][] = [
    ['No me gustó nada el vestido de Marea', 'es', 'negative'],
    ['No está nada mal lo nuevo de Marea', 'es', 'positive'],
    ['Nada mal el abrigo de Oliva, repetiré', 'es', 'positive'],
    ['Marea nunca falla', 'es', 'positive'],
    ['Nunca más compro en Sendero', 'es', 'negative'],
    ['No recomiendo Faro, el bolso se rompió a la semana', 'es', 'negative'],
    ['Muy bonito todo en la web pero luego la calidad es pésima', 'es', 'negative'],
    ['Me encanta mi nuevo abrigo', 'es', 'positive'],
    ['Não gostei nada do vestido da Marea', 'pt', 'negative'],
    ['Nada mau a nova coleção da Oliva', 'pt', 'positive'],
    ['Não me arrependo de ter comprado na Marea', 'pt', 'positive'],
    ['Nunca mais compro na Faro', 'pt', 'negative'],
    ['Bonito na foto mas o vestido é horrível', 'pt', 'negative'],
    ['Adorei o casaco da Marea', 'pt', 'positive'],
    ['Not bad at all, Marea!', 'en', 'positive'],
    ['Not happy with Marea at all', 'en', 'negative'],
    ["Didn't like the dress from Oliva, really disappointing", 'en', 'negative'],
    ["Can't complain about Sendero, great quality", 'en', 'positive'],
    ['Never buying from Faro again', 'en', 'negative'],
    ['Marea never disappoints', 'en', 'positive'],
  ];
  it.each(cases)('%s → %s %s', (text, lang, label) => {
    expect(scoreSentiment(text, lang).label).toBe(label);
  });

  it('flips the score when a negation is put in front', () => {
    expect(scoreSentiment('Me gustó el vestido', 'es').score).toBeGreaterThan(scoreSentiment('No me gustó el vestido', 'es').score);
    expect(scoreSentiment('Gostei do vestido', 'pt').score).toBeGreaterThan(scoreSentiment('Não gostei do vestido', 'pt').score);
    expect(scoreSentiment('I liked the dress', 'en').score).toBeGreaterThan(scoreSentiment("I didn't like the dress", 'en').score);
    expect(scoreSentiment('This is bad', 'en').score).toBeLessThan(scoreSentiment('This is not bad', 'en').score);
  });
});

describe('API', () => {
  it('gives a score in −1 … 1 and a label, detecting the language when it is not given', () => {
    const r = scoreSentiment('Adorei o vestido, obrigada!');
    expect(r.lang).toBe('pt');
    expect(r.label).toBe('positive');
    expect(r.score).toBeGreaterThan(0);
    expect(r.score).toBeLessThanOrEqual(1);
    expect(scoreSentiment('I love it', 'en-GB').lang).toBe('en');
    expect(scoreSentiment('😍😍', 'fr').lang).toBeNull();
    expect(scoreSentiment('😍😍', 'fr').label).toBe('positive');
    expect(scoreSentiment(':(').label).toBe('negative');
    expect(scoreSentiment('').label).toBe('neutral');
  });

  it('scores batches exactly as one text at a time', () => {
    const texts = ['Me encanta', 'Péssimo atendimento', 'Heading to the store', 'No me gustó nada', '😡'];
    const langs = ['es', undefined, 'en', null, undefined];
    const one = texts.map((t, i) => scoreSentiment(t, langs[i]));
    expect(scoreSentiments(texts, langs)).toEqual(one);
    const cols = scoreSentimentColumns(texts, langs);
    expect(Array.from(cols.label, (c) => SENTIMENT_LABELS[c])).toEqual(one.map((r) => r.label));
    expect(Array.from(cols.score)).toEqual(one.map((r) => Math.fround(r.score)));
    expect(cols.lang).toEqual(one.map((r) => r.lang));
  });
});

describe('the demo generator', () => {
  it('reads its negation and contrast templates better than the listening tool', () => {
    const r = generatedReport(6000);
    console.log(formatGeneratedReport(r));
    expect(r.tricky.n).toBeGreaterThan(500);
    expect(r.tricky.ours).toBeGreaterThanOrEqual(0.85);
    expect(r.tricky.ours).toBeGreaterThan(r.tricky.tool);
  });
});

describe('the demo company', () => {
  it('labels the demo mentions better than the listening tool', () => {
    const r = demoReport(smallDemoDir());
    console.log(formatDemoReport('small (generated by the test run)', r));
    expect(r.mentions).toBeGreaterThan(1000);
    expect(r.langDetect.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(r.oursOnLabelled.accuracy).toBeGreaterThan(r.tool.accuracy);
  });
});

describe('training', () => {
  it('is deterministic: the same examples give byte-identical files', () => {
    const train = LANGS.flatMap((l) => readSplit(dataDir!, l, 'train').slice(0, 200));
    const a = trainAll(train, { maxIter: 15 });
    const b = trainAll(train, { maxIter: 15 });
    expect(serialise(a.model)).toBe(serialise(b.model));
    expect(JSON.stringify(a.langid)).toBe(JSON.stringify(b.langid));
    expect(a.model.buckets.length).toBeGreaterThan(100);
  });
});
