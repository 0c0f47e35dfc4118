#!/usr/bin/env node
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { BuildError, runBuild, latestBuild, type BuildResult } from '../build/runner.ts';
import { describeModels, type ModelDoc } from '../build/docs.ts';
import { decide, reviewQueue, type ReviewItem } from '../identity/review.ts';
import { formatModelDocs } from './docs.ts';
import { Database } from '../db/duckdb.ts';
import { ensureSchema } from '../db/schema.ts';
import { ENTITY_NAMES } from '../entities.ts';
import { runDemo, type Scale } from '../demo.ts';
import { loadSpec, type LoadResult } from '../load/loader.ts';
import { findServer } from '../server-info.ts';
import { Progress } from './progress.ts';
import { runRemoteJob } from './remote.ts';
import { readSpec, SpecError } from '../load/spec.ts';
import { DEFAULT_DB, REPO_ROOT, SQL_DIR } from '../paths.ts';
import { formatCsv, formatModelRun, formatQuarantine, formatTable, seconds, type QuarantineRow } from './output.ts';

/**
 * scrm — the Social CRM warehouse command line. Exit codes: 0 success, 1 the work failed
 * (a source failed to load, a build failed, a query failed), 2 the command was used wrongly.
 */
const USAGE = `Usage: scrm <command> [options]

Commands:
  demo [--scale small|default|large] [--seed N]   generate the demo company, load it and build the marts
  load <spec.yaml|spec.json> [--source NAME] [--force]
                                                  load the files a source spec describes into raw tables
  load <entity> <file>                            quick form: infer the format and column mapping, print the mapping used
  build [--as-of YYYY-MM-DD] [--select MODEL[+]] [--full-refresh] [--sql-dir DIR]
                                                  run the SQL models and publish the marts atomically; incremental
                                                  models only process new loads unless --full-refresh
  docs [MODEL] [--json] [--sql-dir DIR]           the models and marts: description, columns and types, lineage,
                                                  rows, and the build that produced them
  identity review [--accept PROFILE:CUSTOMER | --reject PROFILE:CUSTOMER] [--note TEXT] [--limit N]
                                                  probabilistic identity matches waiting for a person; record a decision (kept across rebuilds)
  serve [--port N] [--host H] [--demo] [--tokens F] serve the API and the dashboard (--demo: build the default demo first if the
                                                  database is empty, and sign in by role); tokens per role in F (default
                                                  <db>.tokens.json, made on first start; or SCRM_TOKENS)
  sql "<query>" [--format table|csv|json]         run a query against the warehouse
  status                                          row counts, last loads (with orphans), last build and freshness
  quarantine [--source NAME] [--load ID] [--limit N] [--format table|csv|json]
                                                  list quarantined rows: source, file, record/line, reasons, raw values

While \`scrm serve\` runs on the database, \`load\` and \`build\` hand their work to the server (the dashboard keeps answering).

Options:
  --db PATH     the DuckDB file (default ./data/warehouse.duckdb, or $SCRM_DB)
  -h, --help    this help`;

class UsageError extends Error {}

const OPTIONS = {
  db: { type: 'string' },
  scale: { type: 'string' },
  seed: { type: 'string' },
  source: { type: 'string' },
  force: { type: 'boolean' },
  'as-of': { type: 'string' },
  select: { type: 'string' },
  'full-refresh': { type: 'boolean' },
  'sql-dir': { type: 'string' },
  json: { type: 'boolean' },
  port: { type: 'string' },
  host: { type: 'string' },
  demo: { type: 'boolean' },
  tokens: { type: 'string' },
  format: { type: 'string' },
  load: { type: 'string' },
  limit: { type: 'string' },
  accept: { type: 'string' },
  reject: { type: 'string' },
  note: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  const [command, ...args] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return command || values.help ? 0 : 2;
  }
  const dbPath = resolve(values.db ?? process.env.SCRM_DB ?? DEFAULT_DB);
  const log = (s: string) => console.error(s);
  const sqlDir = values['sql-dir'] ? resolve(values['sql-dir']) : SQL_DIR;
  if (values['sql-dir'] && !existsSync(join(sqlDir, 'models'))) throw new UsageError(`--sql-dir ${sqlDir} has no models folder`);

  switch (command) {
    case 'demo': {
      const scale = (values.scale ?? 'default') as Scale;
      if (!['small', 'default', 'large'].includes(scale)) throw new UsageError(`--scale must be small, default or large, not "${scale}"`);
      const seed = values.seed ? Number(values.seed) : 42;
      if (!Number.isInteger(seed)) throw new UsageError('--seed must be a whole number');
      return withDb(dbPath, async (db) => {
        const c = await db.connect();
        const t0 = performance.now();
        const r = await runDemo(c, { scale, seed, log });
        const rows = r.loads.reduce((s, l) => s + l.read, 0);
        log(`demo ready in ${seconds(performance.now() - t0)}: generate ${seconds(r.generatedMs)}, load ${rows.toLocaleString('en-US')} rows ${seconds(r.loadMs)}, build ${seconds(r.build.ms)} → ${dbPath}`);
        return 0;
      });
    }
    case 'load': {
      if (!args[0]) throw new UsageError('load needs a source spec (scrm load <spec.yaml>) or an entity and a file (scrm load orders export.csv)');
      // Quick form: `scrm load <entity> <file>` infers the format and the column mapping, and prints the spec it used.
      const quick = args.length === 2 && (ENTITY_NAMES as string[]).includes(args[0]);
      if (args.length === 2 && !quick) throw new UsageError(`"${args[0]}" is not an entity; entities: ${ENTITY_NAMES.join(', ')}`);
      const specFile = quick ? writeQuickSpec(args[0], resolve(args[1])) : resolve(args[0]);
      const spec = readSpec(specFile);
      const server = await findServer(dbPath);
      if (server) {
        const job = await runRemoteJob(server, { kind: 'load', spec: spec.file, source: values.source, force: values.force });
        if (!job.result) throw new Error(job.error ?? `job ${job.id} failed`);
        return reportLoads(job.result as LoadResult[]);
      }
      return withDb(dbPath, async (db) => {
        const c = await db.connect();
        const progress = new Progress();
        const results = await loadSpec(c, spec, {
          only: values.source,
          force: values.force,
          onEvent: (e) => {
            if (e.type === 'start') progress.start(`loading ${e.source}: ${e.file}`);
            else if (e.type === 'progress') progress.update(e.percent);
            else progress.log(`${e.result.source}: ${e.result.status} (${seconds(e.result.ms)})`);
          },
        });
        return reportLoads(results);
      });
    }
    case 'build': {
      const asOf = values['as-of'] ?? new Date().toISOString().slice(0, 10);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) throw new UsageError(`--as-of must be YYYY-MM-DD, not "${asOf}"`);
      const server = await findServer(dbPath);
      if (server) {
        const job = await runRemoteJob(server, {
          kind: 'build', asOf, select: values.select, fullRefresh: values['full-refresh'], sqlDir: values['sql-dir'] ? sqlDir : undefined,
        });
        if (job.status !== 'done') throw new Error(job.error ?? `job ${job.id} failed`);
        const r = job.result as BuildResult;
        log(`build ${r.buildId} ok: ${r.models.length} models, ${r.tests} tests passed, ${seconds(r.ms)} (as of ${r.asOf}); the server now serves it`);
        return 0;
      }
      return withDb(dbPath, async (db) => {
        const c = await db.connect();
        const r = await runBuild(c, {
          sqlDir,
          asOf,
          select: values.select,
          fullRefresh: values['full-refresh'],
          onEvent: (e) => {
            if (e.type === 'model') log(formatModelRun(e));
            else if (e.type === 'analytics') log(`  ${e.model}: ${e.step} ${e.status} in ${(e.ms / 1000).toFixed(1)} s — ${e.message}`);
          },
        });
        log(`build ${r.buildId} ok: ${r.models.length} models, ${r.tests} tests passed, ${seconds(r.ms)} (as of ${r.asOf})`);
        return 0;
      }, false, BUILD_MEMORY_LIMIT);
    }
    case 'docs': {
      const server = await findServer(dbPath);
      let docs: ModelDoc[];
      if (server && !values['sql-dir']) {
        // The server holds the database: ask it (it reads the same SQL files).
        const res = await fetch(new URL('api/models', server.url), { headers: { authorization: `Bearer ${server.token}` } });
        if (!res.ok) throw new Error(`the server answered ${res.status} to GET /api/models`);
        docs = ((await res.json()) as { models: ModelDoc[] }).models;
      } else if (existsSync(dbPath)) {
        docs = await withDb(dbPath, (db) => db.with((c) => describeModels(c, sqlDir)), true);
      } else {
        log(`(no database at ${dbPath}: types, rows and freshness are unknown until a build)`);
        docs = await describeModels(null, sqlDir);
      }
      if (args[0]) {
        const one = docs.filter((d) => d.name === args[0] || d.name.split('.')[1] === args[0]);
        if (one.length === 0) throw new Error(`no model named ${args[0]}; models: ${docs.map((d) => d.name).join(', ')}`);
        docs = one;
      }
      if (values.json) console.log(JSON.stringify(args[0] ? docs[0] : { models: docs }, null, 2));
      else process.stdout.write(formatModelDocs(docs));
      return 0;
    }
    case 'identity': {
      if (args[0] !== 'review') throw new UsageError('usage: scrm identity review [--accept PROFILE:CUSTOMER | --reject PROFILE:CUSTOMER]');
      const pair = values.accept ?? values.reject;
      if (values.accept && values.reject) throw new UsageError('give --accept or --reject, not both');
      const server = await findServer(dbPath);
      if (pair) {
        const [profileId, customerId] = pair.split(':');
        if (!profileId || !customerId) throw new UsageError(`--${values.accept ? 'accept' : 'reject'} takes PROFILE:CUSTOMER, e.g. P0003738:100160`);
        const decision = values.accept ? 'accept' : 'reject';
        if (server) {
          const res = await fetch(new URL('api/identity/review', server.url), {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
            body: JSON.stringify({ profile_id: profileId, customer_id: customerId, decision, decided_by: process.env.USER ?? 'cli', note: values.note }),
          });
          if (!res.ok) throw new Error(((await res.json().catch(() => ({}))) as { error?: { message?: string } }).error?.message ?? `the server answered ${res.status}`);
        } else {
          if (!existsSync(dbPath)) throw new Error(`no database at ${dbPath}: run \`scrm demo\` or \`scrm load\` first`);
          await withDb(dbPath, (db) => db.with((c) => decide(c, { profileId, customerId, decision, decidedBy: process.env.USER ?? 'cli', note: values.note })));
        }
        log(`${decision === 'accept' ? 'accepted' : 'rejected'} ${profileId} ↔ ${customerId}; it takes effect on the next build (scrm build)`);
        return 0;
      }
      const limit = values.limit === undefined ? 50 : Number(values.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit must be a positive whole number, not "${values.limit}"`);
      let queue: { total: number; items: ReviewItem[] };
      if (server) {
        const res = await fetch(new URL(`api/identity/review?limit=${limit}`, server.url), { headers: { authorization: `Bearer ${server.token}` } });
        if (!res.ok) throw new Error(`the server answered ${res.status} to GET /api/identity/review`);
        queue = (await res.json()) as typeof queue;
      } else {
        if (!existsSync(dbPath)) throw new Error(`no database at ${dbPath}: run \`scrm demo\` first`);
        queue = await withDb(dbPath, (db) => db.with((c) => reviewQueue(c, { limit })), true);
      }
      if (values.json) console.log(JSON.stringify(queue, null, 2));
      else {
        console.log(formatTable(queue.items.map((r) => ({ profile: r.profile_id, network: r.network, name: r.display_name, handle: r.handle, customer: r.customer_id, customer_name: r.customer_name, city: r.city, probability: r.match_probability.toFixed(3), reason: r.reason }))));
        log(`${queue.items.length} of ${queue.total} pairs waiting; decide with --accept or --reject PROFILE:CUSTOMER`);
      }
      return 0;
    }
    case 'serve': {
      const port = values.port ? Number(values.port) : Number(process.env.PORT ?? 8787);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number, not "${values.port}"`);
      const db = await Database.open(dbPath);
      const c = await db.connect();
      await ensureSchema(c);
      if (values.demo && !(await latestBuild(c))) {
        log('The database has no build yet: building the default demo first (about a minute) …');
        await runDemo(c, { scale: 'default', log });
      }
      c.close();
      // The API package depends on this one; importing it by path keeps the workspace graph acyclic.
      const api = (await import(pathToFileURL(join(REPO_ROOT, 'api/src/index.ts')).href)) as typeof import('../../../api/src/index.ts');
      const tokenFile = values.tokens ?? process.env.SCRM_TOKENS ?? api.tokensPath(dbPath);
      const { tokens, created } = api.loadTokenFile(tokenFile);
      const server = await api.startServer({ db, port, host: values.host, tokens, demo: values.demo });
      console.log(`Social CRM dashboard: ${server.url}   (API: ${server.url}api/openapi.json; Ctrl+C to stop)`);
      if (values.demo || created) {
        console.log(`API tokens${created ? ' (new)' : ''}, from ${tokenFile}:`);
        for (const t of tokens) console.log(`  ${t.role.padEnd(10)} ${t.token}   ${t.name}`);
        if (values.demo) console.log('The demo dashboard also signs in by role: pick one on its sign-in page.');
      } else log(`API tokens: ${tokenFile}`);
      const stop = async () => {
        await server.close();
        db.close();
        process.exit(0);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      return new Promise(() => {});
    }
    case 'sql': {
      const query = args.join(' ').trim();
      if (!query) throw new UsageError('sql needs a query: scrm sql "SELECT …"');
      const format = values.format ?? 'table';
      if (!['table', 'csv', 'json'].includes(format)) throw new UsageError(`--format must be table, csv or json, not "${format}"`);
      if (!existsSync(dbPath)) throw new Error(`no database at ${dbPath}: run \`scrm demo\` or \`scrm load\` first`);
      return withDb(dbPath, async (db) => {
        const rows = await db.with((c) => c.all(query));
        if (format === 'json') console.log(JSON.stringify(rows, null, 2));
        else if (format === 'csv') process.stdout.write(formatCsv(rows));
        else console.log(formatTable(rows));
        return 0;
      }, true);
    }
    case 'status': {
      if (!existsSync(dbPath)) throw new Error(`no database at ${dbPath}: run \`scrm demo\` or \`scrm load\` first`);
      return withDb(dbPath, async (db) => {
        const c = await db.connect();
        const tables = await c.all(`SELECT schema_name || '.' || table_name AS "table", estimated_size AS rows FROM duckdb_tables() WHERE schema_name IN ('raw', 'marts') ORDER BY 1`);
        console.log('Tables\n' + formatTable(tables));
        const loads = await c.all(`SELECT source, status, rows_read AS read, rows_loaded AS new, rows_updated AS updated, rows_duplicate AS duplicate, rows_quarantined AS quarantined, coalesce(rows_orphan, 0) AS orphans, strftime(finished_at, '%Y-%m-%d %H:%M') AS finished, coalesce(message, '') AS message FROM meta.loads ORDER BY load_id DESC LIMIT 15`);
        console.log('\nLast loads\n' + formatTable(loads, 60));
        const q = await c.all(`SELECT source, reason, count(*) AS rows FROM (SELECT source, unnest(reasons) AS reason FROM meta.quarantine) GROUP BY ALL ORDER BY rows DESC LIMIT 15`);
        console.log('\nQuarantine by source and reason\n' + formatTable(q, 70));
        const builds = await c.all(`SELECT build_id AS build, status, as_of, strftime(finished_at, '%Y-%m-%d %H:%M:%S') AS finished, models, coalesce(message, '') AS message FROM meta.builds ORDER BY build_id DESC LIMIT 5`);
        console.log('\nLast builds\n' + formatTable(builds, 80));
        const fresh = await c.one(`SELECT (SELECT max(ordered_at) FROM raw.orders) AS latest_order, (SELECT max(posted_at) FROM raw.mentions) AS latest_mention`);
        console.log(`\nFreshness: latest order ${fresh?.latest_order ?? '—'}, latest mention ${fresh?.latest_mention ?? '—'}`);
        return 0;
      }, true);
    }
    case 'quarantine': {
      const format = values.format ?? 'table';
      if (!['table', 'csv', 'json'].includes(format)) throw new UsageError(`--format must be table, csv or json, not "${format}"`);
      const limit = values.limit === undefined ? 100 : Number(values.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit must be a positive whole number, not "${values.limit}"`);
      const loadId = values.load === undefined ? undefined : Number(values.load);
      if (loadId !== undefined && !Number.isInteger(loadId)) throw new UsageError(`--load must be a load id (a whole number), not "${values.load}"`);
      if (!existsSync(dbPath)) throw new Error(`no database at ${dbPath}: run \`scrm demo\` or \`scrm load\` first`);
      return withDb(dbPath, async (db) => {
        const c = await db.connect();
        const where: string[] = [];
        const params: (string | number)[] = [];
        if (values.source) where.push(`source = $${params.push(values.source)}`);
        if (loadId !== undefined) where.push(`load_id = $${params.push(loadId)}`);
        const rows = await c.all<QuarantineRow>(
          `SELECT load_id, source, file, record_no, reasons, raw FROM meta.quarantine ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
           ORDER BY load_id, source, file, record_no LIMIT ${limit}`,
          params,
        );
        const total = Number(await c.value(`SELECT count(*) FROM meta.quarantine ${where.length ? 'WHERE ' + where.join(' AND ') : ''}`, params));
        process.stdout.write(formatQuarantine(rows, format as 'table' | 'csv' | 'json'));
        if (format === 'table' && total > rows.length) log(`(${rows.length} of ${total} quarantined rows; --limit N for more)`);
        return 0;
      }, true);
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

/** A one-source spec for the quick form, written to a temporary file (a server it is handed to reads it too). */
function writeQuickSpec(entityName: string, file: string): string {
  const name = `${entityName}_${basename(file).replace(/\.[^.]*$/, '')}`.replace(/[^A-Za-z0-9_.-]/g, '_');
  const path = join(mkdtempSync(join(tmpdir(), 'scrm-load-')), 'spec.json');
  writeFileSync(path, JSON.stringify({ sources: [{ name, entity: entityName, path: file }] }, null, 2));
  return path;
}

/** The summary table of a load, and the exit code it deserves: 1 when any file failed. */
function reportLoads(results: LoadResult[]): number {
  console.log(formatTable(results.map((r) => ({ source: r.source, status: r.status, read: r.read, new: r.loaded, updated: r.updated, duplicate: r.duplicate, quarantined: r.quarantined, orphans: r.orphans ?? 0, seconds: Number((r.ms / 1000).toFixed(2)), message: r.message ?? '' })), 80));
  for (const r of results) if (r.mapping) console.log(`${r.source} mapping: ${r.mapping}`);
  const failed = results.filter((r) => r.status === 'failed');
  if (failed.length) console.error(`${failed.length} file(s) failed; the other sources were loaded.`);
  return failed.length ? 1 : 0;
}

/**
 * Commands that write bound DuckDB's memory (SCRM_MEMORY_LIMIT to change it): loads to 1 GB — beyond it DuckDB
 * spills to disk, so a file of any size loads without the process growing with it — and builds to 4 GB (their
 * per-customer lists and aggregates do not all spill, and run about twice as fast with the room).
 */
const WRITER_MEMORY_LIMIT = process.env.SCRM_MEMORY_LIMIT ?? '1GB';
const BUILD_MEMORY_LIMIT = process.env.SCRM_MEMORY_LIMIT ?? '4GB';

async function withDb<T>(path: string, fn: (db: Database) => Promise<T>, readOnly = false, memoryLimit = WRITER_MEMORY_LIMIT): Promise<T> {
  // Writers are batch work in a process of their own: DuckDB's tasks may run on this thread too.
  const db = await Database.open(path, { readOnly, memoryLimit: readOnly ? undefined : memoryLimit, inlineTasks: !readOnly });
  try {
    return await fn(db);
  } finally {
    db.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined) process.exitCode = code;
  },
  (err: Error) => {
    if (err instanceof UsageError) {
      console.error(`scrm: ${err.message}\n\n${USAGE}`);
      process.exitCode = 2;
    } else if (err instanceof SpecError || err instanceof BuildError) {
      console.error(`scrm: ${err.message}`);
      process.exitCode = 1;
    } else {
      console.error(`scrm: ${err.message}`);
      if (process.env.SCRM_DEBUG) console.error(err.stack);
      process.exitCode = 1;
    }
  },
);
