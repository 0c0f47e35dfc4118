// One benchmark phase in its own process, so that its peak memory is its own. Prints one JSON line.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Database, loadSpec, readSpec, runBuild, SQL_DIR } from '@scrm/warehouse';
import { addDays } from '@scrm/warehouse/metrics/query';

const [phase, dir, dbPath, scale] = process.argv.slice(2);
const t0 = performance.now();
const out: Record<string, unknown> = { phase };

if (phase === 'generate') {
  const { generateDemo } = await import('@scrm/fixtures');
  rmSync(dir, { recursive: true, force: true });
  const m = await generateDemo({ scale: scale as 'large', outDir: dir });
  out.files = m.files;
  out.end = m.end;
} else if (phase === 'load') {
  const { copyFileSync } = await import('node:fs');
  const { DEMO_SOURCES } = await import('@scrm/warehouse');
  copyFileSync(DEMO_SOURCES, join(dir, 'sources.yaml'));
  rmSync(dbPath, { force: true });
  rmSync(dbPath + '.wal', { force: true });
  const db = await Database.open(dbPath, { inlineTasks: true }); // as the CLI's load
  const results = await db.with((c) => loadSpec(c, readSpec(join(dir, 'sources.yaml'))));
  db.close();
  out.sources = results.map((r) => ({ source: r.source, status: r.status, read: r.read, ms: Math.round(r.ms), message: r.message }));
} else if (phase === 'build') {
  const db = await Database.open(dbPath, { inlineTasks: true }); // as the CLI's build
  const r = await db.with((c) => runBuild(c, { sqlDir: SQL_DIR, asOf: addDays(process.argv[6], 1) }));
  db.close();
  out.models = r.models.map((m) => ({ model: m.model, rows: m.rows, ms: Math.round(m.ms) }));
} else if (phase === 'raw-duckdb') {
  // The baseline: plain DuckDB reading the same files into tables, no validation, no dedup.
  const tmp = dbPath + '.raw.duckdb';
  rmSync(tmp, { force: true });
  const db = await Database.open(tmp);
  const timings: Record<string, number> = {};
  await db.with(async (c) => {
    for (const [name, reader] of [
      ['crm/orders.csv', `read_csv('${join(dir, 'crm/orders.csv')}')`],
      ['social/mentions.ndjson', `read_json('${join(dir, 'social/mentions.ndjson')}', format = 'newline_delimited')`],
    ]) {
      const t = performance.now();
      await c.run(`CREATE TABLE t_${Object.keys(timings).length} AS SELECT * FROM ${reader}`);
      timings[name] = Math.round(performance.now() - t);
    }
  });
  db.close();
  rmSync(tmp, { force: true });
  out.timings = timings;
} else {
  throw new Error(`unknown phase ${phase}`);
}
out.ms = Math.round(performance.now() - t0);
out.maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
console.log(JSON.stringify(out));
