// pnpm bench ingest [--scale small|default|large]
//   Generates the demo company, loads it, builds the marts — each phase in its own process — and runs
//   raw DuckDB on the same files in the same run as the baseline. Prints times, rows/s, peak RSS and ratios.
// pnpm bench load [--lines 10000000] [--memory-limit 1GB (the CLI's default bound)]
//   One order-lines CSV: our validated, deduplicated load against raw DuckDB CREATE TABLE … AS SELECT *
//   FROM read_csv(…) on the same file in the same run (raw, ours, raw, ours; best of each).
// pnpm bench build [--scale default|large]
//   Full build, then one appended day of orders and mentions and the incremental build after it; plain DuckDB
//   on the same model SQL as the baseline (tests/bench/build.ts).
// pnpm bench clv [--customers 1000000] [--seed 1]
//   Predictive CLV on a simulated customer base: fits BG/NBD and Gamma-Gamma and scores every customer (tests/bench/clv.ts).
// pnpm bench api [--scale large]
//   Key API endpoints on the bench warehouse: direct DuckDB baseline, cold and warm latency and throughput with
//   50 connections (tests/bench/api.ts).
// pnpm bench sentiment [--mentions 1000000]
//   Scores synthetic demo-like mentions (es/pt/en, one in ten language-less) with the shipped sentiment model.
// pnpm bench export [--customers 1000000] [--source a warehouse to copy; default data/bench/large-readonly.duckdb]
//   Streams a 1 M-customer segment as CSV from a copy of the large bench warehouse through a real server: rows/s,
//   server RSS growth, and raw DuckDB COPY of the same query as the baseline (tests/bench/export.ts).
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '@scrm/warehouse';
import { benchBuild } from './build.ts';

const { values, positionals } = parseArgs({
  options: {
    scale: { type: 'string', default: 'default' },
    lines: { type: 'string', default: '10000000' },
    'memory-limit': { type: 'string', default: process.env.SCRM_MEMORY_LIMIT ?? '1GB' },
    customers: { type: 'string', default: '1000000' },
    seed: { type: 'string', default: '1' },
    mentions: { type: 'string', default: '1000000' },
    source: { type: 'string' },
  },
  allowPositionals: true,
});
const bench = positionals[0] ?? 'ingest';
if (bench === 'load') {
  await benchLoad(Number(values.lines), values['memory-limit']!);
  process.exit(0);
}
if (bench === 'build') {
  await benchBuild(values.scale!);
  process.exit(0);
}
if (bench === 'clv') {
  benchClv(values.customers!, values.seed!);
  process.exit(0);
}
if (bench === 'api') {
  const { benchApi } = await import('./api.ts');
  await benchApi(values.scale === 'default' && !process.argv.includes('--scale') ? 'large' : values.scale!);
  process.exit(0);
}
if (bench === 'sentiment') {
  const { benchSentiment } = await import('./sentiment.ts');
  await benchSentiment(Number(values.mentions));
  process.exit(0);
}
if (bench === 'export') {
  const { benchExport } = await import('./export.ts');
  const r = await benchExport(Number(values.customers), values.source);
  mkdirSync(join(REPO_ROOT, 'bench-results'), { recursive: true });
  writeFileSync(join(REPO_ROOT, 'bench-results', 'export.json'), JSON.stringify(r, null, 2));
  process.exit(0);
}
if (bench !== 'ingest') {
  console.error(`unknown benchmark "${bench}"; available: ingest, load, build, clv, sentiment, api, export`);
  process.exit(2);
}
const scale = values.scale!;
const dir = join(REPO_ROOT, 'data/bench', scale);
const dbPath = join(REPO_ROOT, 'data/bench', `${scale}.duckdb`);
mkdirSync(dir, { recursive: true });

const phase = (name: string, ...extra: string[]) => {
  process.stderr.write(`… ${name}\n`);
  const r = spawnSync(join(REPO_ROOT, 'node_modules/.bin/tsx'), [join(REPO_ROOT, 'tests/bench/phase.ts'), name, dir, dbPath, scale, ...extra], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`phase ${name} failed (exit ${r.status})`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
};

const gen = phase('generate');
const load = phase('load');
const build = phase('build', gen.end);
const raw = phase('raw-duckdb');

const rows = load.sources.reduce((s: number, x: { read: number }) => s + x.read, 0);
const bySource = Object.fromEntries(load.sources.map((s: { source: string; ms: number; read: number }) => [s.source, s]));
const ordersOurs = bySource.shop_orders.ms + bySource.shop_order_lines.ms;
const mentionsOurs = bySource.social_mentions.ms;
const fmt = (n: number) => n.toLocaleString('en-US');
const lines = [
  `ingest benchmark, scale ${scale}`,
  `generate   ${fmt(gen.ms)} ms   peak RSS ${fmt(gen.maxRssMb)} MB   ${gen.files.map((f: { path: string; rows: number }) => `${f.path} ${fmt(f.rows)}`).join(', ')}`,
  `load       ${fmt(load.ms)} ms   ${fmt(rows)} rows   ${fmt(Math.round(rows / (load.ms / 1000)))} rows/s   peak RSS ${fmt(load.maxRssMb)} MB`,
  ...load.sources.map((s: { source: string; read: number; ms: number; status: string }) => `             ${s.source.padEnd(18)} ${fmt(s.read).padStart(12)} rows ${fmt(s.ms).padStart(8)} ms ${fmt(Math.round(s.read / Math.max(s.ms, 1) * 1000)).padStart(12)} rows/s  ${s.status}`),
  `build      ${fmt(build.ms)} ms   peak RSS ${fmt(build.maxRssMb)} MB   ${build.models.filter((m: { rows: number | null }) => m.rows !== null).map((m: { model: string; rows: number; ms: number }) => `${m.model} ${fmt(m.rows)} rows ${fmt(m.ms)} ms`).join(', ')}`,
  `raw DuckDB CREATE TABLE … AS SELECT * FROM read_csv(orders.csv): ${fmt(raw.timings['crm/orders.csv'])} ms; ours (orders + order lines, validated, deduplicated): ${fmt(ordersOurs)} ms; throughput ratio ours/raw = ${(raw.timings['crm/orders.csv'] / ordersOurs).toFixed(2)} (per source: ${(raw.timings['crm/orders.csv'] / bySource.shop_order_lines.ms).toFixed(2)} for order lines)`,
  `raw DuckDB read_json(mentions.ndjson): ${fmt(raw.timings['social/mentions.ndjson'])} ms; ours: ${fmt(mentionsOurs)} ms; ratio ours/raw = ${(raw.timings['social/mentions.ndjson'] / mentionsOurs).toFixed(2)}`,
];
console.log(lines.join('\n'));
mkdirSync(join(REPO_ROOT, 'bench-results'), { recursive: true });
writeFileSync(join(REPO_ROOT, 'bench-results', `ingest-${scale}.json`), JSON.stringify({ scale, gen, load, build, raw }, null, 2));

async function benchLoad(lines: number, memoryLimit: string) {
  const dir = join(REPO_ROOT, 'data/bench', `load-${lines}`);
  mkdirSync(dir, { recursive: true });
  const run = (name: string) => {
    process.stderr.write(`… ${name}\n`);
    const r = spawnSync(join(REPO_ROOT, 'node_modules/.bin/tsx'), [join(REPO_ROOT, 'tests/bench/load-phase.ts'), name, dir, String(lines), memoryLimit], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    if (r.status !== 0) throw new Error(`phase ${name} failed (exit ${r.status})`);
    return JSON.parse(r.stdout.trim().split('\n').pop()!);
  };
  const made = run('make');
  const runs = [run('raw'), run('ours'), run('raw'), run('ours')];
  const raw = runs.filter((r) => r.phase === 'raw').sort((a, b) => a.ms - b.ms)[0];
  const ours = runs.filter((r) => r.phase === 'ours').sort((a, b) => a.ms - b.ms)[0];
  const fmt = (n: number) => n.toLocaleString('en-US');
  console.log([
    `load benchmark: ${fmt(lines)} order lines (${fmt(made.ms)} ms to write the CSV)${memoryLimit ? `, DuckDB memory_limit ${memoryLimit}` : ''}`,
    `raw DuckDB CTAS read_csv: ${fmt(raw.ms)} ms  ${fmt(Math.round(lines / (raw.ms / 1000)))} rows/s  peak RSS ${fmt(raw.maxRssMb)} MB   (runs: ${runs.filter((r) => r.phase === 'raw').map((r) => r.ms).join(', ')} ms)`,
    `ours (typed, validated, deduplicated, audited): ${fmt(ours.ms)} ms  ${fmt(Math.round(lines / (ours.ms / 1000)))} rows/s  peak RSS ${fmt(ours.maxRssMb)} MB   (runs: ${runs.filter((r) => r.phase === 'ours').map((r) => r.ms).join(', ')} ms)`,
    `  ${JSON.stringify(ours.result)}`,
    `throughput ratio ours/raw = ${(raw.ms / ours.ms).toFixed(2)}`,
  ].join('\n'));
}

function benchClv(customers: string, seed: string) {
  // Its own process, so that the peak RSS it reports is the CLV code's alone.
  const r = spawnSync(join(REPO_ROOT, 'node_modules/.bin/tsx'), [join(REPO_ROOT, 'tests/bench/clv.ts'), '--customers', customers, '--seed', seed], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`clv benchmark failed (exit ${r.status})`);
  const lines = r.stdout.trim().split('\n');
  console.log(lines.slice(0, -1).join('\n'));
  mkdirSync(join(REPO_ROOT, 'bench-results'), { recursive: true });
  writeFileSync(join(REPO_ROOT, 'bench-results', 'clv.json'), lines[lines.length - 1] + '\n');
}
