// One phase of `pnpm bench build`, in its own process so its peak memory is its own. Prints one JSON line.
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { Database, discoverModels, runBuild, SQL_DIR, topoSort, type BuildResult } from '@scrm/warehouse';
import { loadProjectVars, renderSql } from '@scrm/warehouse/build/models';
import { appendDay } from '../setup/append-day.ts';

const [phase, db, arg] = process.argv.slice(2);
// The CLI's bound on DuckDB's memory for commands that write (scrm build runs under it).
const memoryLimit = process.env.SCRM_MEMORY_LIMIT ?? '4GB'; // as `scrm build`
const t0 = performance.now();
const out: Record<string, unknown> = { phase };
const models = (r: BuildResult) => r.models.filter((m) => m.materialized !== 'view').map((m) => ({ model: m.model, mode: m.mode, rows: m.rows, written: m.written, ms: Math.round(m.ms) }));

if (phase === 'prepare') {
  // A working copy, so the ingest benchmark's database stays as `pnpm bench ingest` left it.
  const source = arg;
  for (const ext of ['', '.wal']) {
    rmSync(db + ext, { force: true });
    if (existsSync(source + ext)) copyFileSync(source + ext, db + ext);
  }
  const d = await Database.open(db, { memoryLimit, inlineTasks: true });
  // The demo's analysis date: the day after its last order (the appended day will be that day).
  out.asOf = await d.with((c) => c.value(`SELECT CAST(CAST(max(ordered_at) AS DATE) + 1 AS VARCHAR) FROM raw.orders`));
  out.rawRows = await d.with((c) => c.value(`SELECT (SELECT count(*) FROM raw.orders) + (SELECT count(*) FROM raw.order_lines) + (SELECT count(*) FROM raw.mentions)`));
  d.close();
} else if (phase === 'full' || phase === 'incremental') {
  const d = await Database.open(db, { memoryLimit, inlineTasks: true });
  const r = await d.with((c) => runBuild(c, { sqlDir: SQL_DIR, asOf: arg, fullRefresh: phase === 'full' }));
  d.close();
  out.buildMs = Math.round(r.ms);
  out.models = models(r);
} else if (phase === 'append') {
  const d = await Database.open(db, { memoryLimit, inlineTasks: true });
  const day = await d.with((c) => appendDay(c, arg));
  d.close();
  out.day = day.day;
  out.appended = { orders: day.orders, lines: day.lines, mentions: day.mentions };
  out.loadMs = Math.round(day.loadMs);
} else if (phase === 'raw') {
  // Baseline: the same model SQL as plain DuckDB statements (autocommit, no tests, no bookkeeping, full).
  const d = await Database.open(db, { memoryLimit, inlineTasks: true });
  const timings: Record<string, number> = {};
  await d.with(async (c) => {
    for (const m of topoSort(discoverModels(SQL_DIR))) {
      const t = performance.now();
      await c.run(`CREATE OR REPLACE ${m.materialized === 'view' ? 'VIEW' : 'TABLE'} ${m.name} AS ${renderSql(m.sql, { asOf: arg, vars: loadProjectVars(SQL_DIR) })}`);
      if (m.materialized !== 'view') timings[m.name] = Math.round(performance.now() - t);
    }
  });
  d.close();
  out.models = timings;
} else {
  throw new Error(`unknown phase ${phase}`);
}
out.ms = Math.round(performance.now() - t0);
out.maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
console.log(JSON.stringify(out));
