// pnpm bench sentiment [--mentions 1000000]
//   Scores synthetic social mentions (the demo generator's texts in es/pt/en: one in ten without its language,
//   so detected) with the shipped sentiment model, in this process, single thread. Prints ms, mentions/s, peak RSS.
import os from 'node:os';
import { BRANDS } from '@scrm/fixtures';
import { mentionText, SENTIMENTS, type Lang } from '@scrm/fixtures/mentions-text';
import { Rng } from '@scrm/fixtures/random';
import { scoreSentimentColumns } from '@scrm/warehouse/analytics/sentiment/index';

export async function benchSentiment(n: number) {
  const rng = new Rng(42);
  const texts: string[] = new Array(n);
  const langs: (Lang | undefined)[] = new Array(n);
  const LANG_PICK: Lang[] = ['es', 'es', 'es', 'es', 'es', 'pt', 'pt', 'pt', 'en', 'en'];
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const lang = LANG_PICK[rng.int(0, 9)];
    const kind = rng.chance(0.1) ? 'review' : rng.chance(0.05) ? 'crisis' : 'organic';
    texts[i] = mentionText(rng, lang, rng.pick(BRANDS), rng.pick(SENTIMENTS), kind).text;
    langs[i] = rng.chance(0.1) ? undefined : lang;
  }
  const genMs = performance.now() - t0;
  scoreSentimentColumns(texts.slice(0, 2000), langs.slice(0, 2000)); // load the model, warm up
  const cpu0 = process.cpuUsage();
  const t1 = performance.now();
  const r = scoreSentimentColumns(texts, langs);
  const ms = performance.now() - t1;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const counts = [0, 0, 0];
  for (const l of r.label) counts[l]++;
  const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
  const avgLen = texts.reduce((s, t) => s + t.length, 0) / n;
  console.log([
    `sentiment benchmark: ${fmt(n)} synthetic mentions (avg ${avgLen.toFixed(0)} chars, ${fmt(langs.filter((l) => l === undefined).length)} without a language), generated in ${fmt(genMs)} ms`,
    `scored in ${fmt(ms)} ms (CPU ${fmt(cpuMs)} ms)   ${fmt(n / (ms / 1000))} mentions/s   ${(ms * 1000 / n).toFixed(1)} µs/mention   peak RSS ${fmt(process.resourceUsage().maxRSS / 1024)} MB   (load average ${os.loadavg()[0].toFixed(1)} on ${os.availableParallelism()} cores)`,
    `labels: ${fmt(counts[0])} negative, ${fmt(counts[1])} neutral, ${fmt(counts[2])} positive`,
  ].join('\n'));
  return { n, ms, cpuMs, maxRssMb: process.resourceUsage().maxRSS / 1024 };
}
