// pnpm bench build [--scale default|large]
//   On the ingest benchmark's database (data/bench/<scale>.duckdb; generated and loaded first if missing), times
//   a full build, appends one day of orders and mentions through the loader, times the incremental build that
//   follows, and plain DuckDB running the same model SQL as the baseline. Each phase runs in its own process.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '@scrm/warehouse';

type ModelTiming = { model: string; mode: string; rows: number; written: number; ms: number };

export async function benchBuild(scale: string): Promise<void> {
  const benchDir = join(REPO_ROOT, 'data/bench');
  const source = join(benchDir, `${scale}.duckdb`);
  const work = join(benchDir, `${scale}-build.duckdb`);
  mkdirSync(benchDir, { recursive: true });
  const tsx = join(REPO_ROOT, 'node_modules/.bin/tsx');
  const run = (script: string, args: string[]) => {
    process.stderr.write(`… ${args[0]}\n`);
    const r = spawnSync(tsx, [join(REPO_ROOT, 'tests/bench', script), ...args], { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'inherit'] });
    if (r.status !== 0) throw new Error(`phase ${args[0]} failed (exit ${r.status})`);
    return JSON.parse(r.stdout.trim().split('\n').pop()!);
  };
  if (!existsSync(source)) {
    process.stderr.write(`no ${source} yet: generating and loading the ${scale} demo (as pnpm bench ingest does) …\n`);
    run('phase.ts', ['generate', join(benchDir, scale), source, scale]);
    run('phase.ts', ['load', join(benchDir, scale), source, scale]);
  }
  const prep = run('build-phase.ts', ['prepare', work, source]);
  const full = run('build-phase.ts', ['full', work, prep.asOf]);
  const append = run('build-phase.ts', ['append', work, join(benchDir, `${scale}-append`)]);
  // The next day's build: the appended day is complete, so the analysis date moves on by one day.
  const nextAsOf = new Date(Date.parse(prep.asOf + 'T00:00:00Z') + 86_400_000).toISOString().slice(0, 10);
  const inc = run('build-phase.ts', ['incremental', work, nextAsOf]);
  const raw = run('build-phase.ts', ['raw', work, prep.asOf]);

  const fmt = (n: number) => n.toLocaleString('en-US');
  const per = (ms: ModelTiming[]) => ms.map((m) => `${m.model} ${m.mode} ${fmt(m.ms)} ms (${fmt(m.written)} of ${fmt(m.rows)} rows written)`).join(', ');
  const orders = (r: { models: ModelTiming[] }) => r.models.find((m) => m.model === 'marts.orders')!;
  const rawTotal = Object.values(raw.models as Record<string, number>).reduce((s, x) => s + x, 0);
  const lines = [
    `build benchmark, scale ${scale}: ${fmt(prep.rawRows)} raw orders + order lines + mentions, as of ${prep.asOf}, DuckDB memory_limit ${process.env.SCRM_MEMORY_LIMIT ?? '4GB'}`,
    `full build         ${fmt(full.buildMs).padStart(8)} ms   peak RSS ${fmt(full.maxRssMb)} MB   ${per(full.models)}`,
    `append one day     ${fmt(append.loadMs).padStart(8)} ms   (load of ${fmt(append.appended.orders)} orders, ${fmt(append.appended.lines)} order lines, ${fmt(append.appended.mentions)} mentions dated ${append.day})   peak RSS ${fmt(append.maxRssMb)} MB`,
    `incremental build  ${fmt(inc.buildMs).padStart(8)} ms   (as of ${nextAsOf})   peak RSS ${fmt(inc.maxRssMb)} MB   ${per(inc.models)}`,
    `incremental / full: ${(inc.buildMs / full.buildMs * 100).toFixed(1)} %;  ratio full / incremental: whole build ${(full.buildMs / inc.buildMs).toFixed(1)}×, marts.orders ${(orders(full).ms / Math.max(orders(inc).ms, 1)).toFixed(1)}×`,
    `raw DuckDB, the same model SQL as plain CREATE OR REPLACE statements (no transaction, tests or bookkeeping): ${fmt(rawTotal)} ms   ` +
      Object.entries(raw.models as Record<string, number>).map(([m, ms]) => `${m} ${fmt(ms)} ms`).join(', ') +
      `;  ours full / raw = ${(full.buildMs / rawTotal).toFixed(2)}, raw marts.orders / our incremental marts.orders = ${((raw.models as Record<string, number>)['marts.orders'] / Math.max(orders(inc).ms, 1)).toFixed(1)}×`,
  ];
  console.log(lines.join('\n'));
  mkdirSync(join(REPO_ROOT, 'bench-results'), { recursive: true });
  writeFileSync(join(REPO_ROOT, 'bench-results', `build-${scale}.json`), JSON.stringify({ scale, prep, full, append, inc, raw }, null, 2));
}
