// pnpm bench api [--scale large]
//   The API under load on the bench warehouse (data/bench/<scale>.duckdb, made by `pnpm bench ingest`): for each key
//   endpoint, the same work run directly in-process on DuckDB (no HTTP) as the baseline, then through a real
//   `scrm serve` on loopback: cold (every request distinct, so the cache misses) one at a time and with 50
//   connections, and warm (one request repeated, served from the cache) with 50 connections (autocannon).
import autocannon from 'autocannon';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database, ensureSchema, loadCatalog, parseMetricsQuery, REPO_ROOT, runMetricsQuery, SQL_DIR, type Connection } from '@scrm/warehouse';
import { customer360, customerList } from '../../api/src/routes/customers.ts';
import { as, startScrmServer, type Role } from '../setup/server.ts';

/** One key endpoint: request i (distinct per i) and the same work done directly on a connection. */
export interface ApiCase {
  name: string;
  role: Role;
  request: (i: number) => { path: string; method?: string; body?: string };
  direct: (c: Connection, i: number) => Promise<unknown>;
}

const DAY = 86_400_000;
const day = (base: string, offset: number) => new Date(Date.parse(base) + offset * DAY).toISOString().slice(0, 10);

/** Customer search (request i: a distinct city-or-name fragment) and one customer's 360 (request i: the i-th id). */
export async function customerCases(c: Connection): Promise<ApiCase[]> {
  const ids = (await c.all<{ id: string }>(`SELECT customer_id AS id FROM marts.customer_360 ORDER BY hash(customer_id) LIMIT 20000`)).map((r) => r.id);
  const words = (await c.all<{ w: string }>(`SELECT DISTINCT lower(last_name) AS w FROM marts.customer_360 WHERE last_name IS NOT NULL ORDER BY w LIMIT 20000`)).map((r) => r.w);
  const admin = { role: 'admin' as const, name: 'bench' };
  const list = (i: number) => ({ q: words[i % words.length], sort: 'revenue' as const, desc: true, limit: 50, offset: 0 });
  return [
    {
      name: 'GET /api/customers?q=…&sort=revenue (search 1 M customers, top 50)',
      role: 'analyst',
      request: (i) => ({ path: `api/customers?q=${encodeURIComponent(list(i).q)}&sort=revenue&desc=true` }),
      direct: (conn, i) => customerList(conn, list(i)),
    },
    {
      name: 'GET /api/customers/{id} (customer 360 with timeline)',
      role: 'marketing',
      request: (i) => ({ path: `api/customers/${encodeURIComponent(ids[i % ids.length])}` }),
      direct: (conn, i) => customer360(conn, ids[i % ids.length], { limit: 100, offset: 0 }, admin),
    },
  ];
}

export function metricsCases(lastDay: string): ApiCase[] {
  const catalog = loadCatalog(SQL_DIR);
  // Request i ends i days before the data's last day: distinct queries of the same shape.
  const kpi = (i: number) => ({ measures: ['revenue', 'orders', 'active_customers', 'aov'], timeRange: { start: day(lastDay, -89 - i), end: day(lastDay, -i) }, grain: 'week' as const });
  const sov = (i: number) => ({ measures: ['mentions', 'share_of_voice', 'net_sentiment'], dimensions: ['brand'], timeRange: { start: day(lastDay, -89 - i), end: day(lastDay, -i) }, grain: 'day' as const });
  // What the route does first: validate the request into the contract (cheap; part of the direct work too).
  const parsed = (q: unknown) => {
    const r = parseMetricsQuery(q);
    if (!r.success) throw new Error(r.message);
    return r.data;
  };
  const post = (q: unknown) => ({ path: 'api/metrics/query', method: 'POST', body: JSON.stringify(q) });
  return [
    { name: 'POST /api/metrics/query (sales KPIs, 90 days by week, vs previous period)', role: 'executive', request: (i) => post(kpi(i)), direct: (c, i) => runMetricsQuery(c, catalog, parsed(kpi(i))) },
    { name: 'POST /api/metrics/query (share of voice by brand, 90 days by day)', role: 'marketing', request: (i) => post(sov(i)), direct: (c, i) => runMetricsQuery(c, catalog, parsed(sov(i))) },
  ];
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const ms = (x: number) => `${x.toFixed(1)} ms`;

export async function benchApi(scale: string): Promise<void> {
  // The build benchmark's copy holds every mart; the ingest one may predate some.
  const built = join(REPO_ROOT, 'data/bench', `${scale}-build.duckdb`);
  const source = existsSync(built) ? built : join(REPO_ROOT, 'data/bench', `${scale}.duckdb`);
  if (!existsSync(source)) throw new Error(`no ${source}: run \`pnpm bench ingest --scale ${scale}\` first`);
  const dir = mkdtempSync(join(tmpdir(), 'scrm-bench-api-'));
  const db = join(dir, 'w.duckdb');
  copyFileSync(source, db);
  if (existsSync(source + '.wal')) copyFileSync(source + '.wal', db + '.wal');
  const SEQ = 20;
  try {
    // The meta tables a server adds on start (e.g. saved segments), so the direct work finds them too.
    const rw = await Database.open(db);
    await rw.with(ensureSchema);
    rw.close();
    // The baseline: each case's work run directly, one at a time, on the same file.
    const ro = await Database.open(db, { readOnly: true });
    const lastDay = await ro.with(async (c) => (await c.value<string>(`SELECT CAST(max(date) AS VARCHAR) FROM marts.kpi_daily`))!);
    const cases = [...metricsCases(lastDay), ...(await ro.with(customerCases))];
    const direct = new Map<string, number[]>();
    await ro.with(async (c) => {
      for (const k of cases) {
        await k.direct(c, 10_000); // warm DuckDB's own buffers, as the server's first request does
        const times: number[] = [];
        for (let i = 0; i < SEQ; i++) {
          const t = performance.now();
          await k.direct(c, i);
          times.push(performance.now() - t);
        }
        direct.set(k.name, times);
      }
    });
    ro.close();

    const server = await startScrmServer(db);
    const lines: string[] = [`api benchmark on ${source}, data to ${lastDay}; 50 connections on loopback, 10 s per run (autocannon); the server and the load generator share this machine's ${(await import('node:os')).cpus().length} cores`];
    try {
      for (const k of cases) {
        const send = (i: number) => {
          const r = k.request(i);
          return server.fetch(r.path, { method: r.method ?? 'GET', body: r.body, headers: r.body ? { 'content-type': 'application/json' } : {} }, k.role);
        };
        await (await send(10_000)).arrayBuffer();
        const seq: number[] = [];
        for (let i = 0; i < SEQ; i++) {
          const t = performance.now();
          const res = await send(i);
          await res.arrayBuffer();
          if (res.status !== 200 || res.headers.get('x-cache') !== 'miss') throw new Error(`${k.name}: request ${i} answered ${res.status} (${res.headers.get('x-cache')})`);
          seq.push(performance.now() - t);
        }
        const d = direct.get(k.name)!;
        const run = async (distinct: boolean) => {
          let n = 1_000; // cold: request numbers not used before, so each one misses the cache
          const r = await autocannon({
            url: server.url,
            connections: 50,
            duration: 10,
            headers: as(k.role, { 'content-type': 'application/json' }),
            requests: [
              {
                setupRequest: (req) => {
                  const q = k.request(distinct ? n++ : 0);
                  return { ...req, method: (q.method ?? 'GET') as 'GET', path: '/' + q.path, body: q.body };
                },
              },
            ],
          });
          return r;
        };
        const cold = await run(true);
        // Requests the cold run left queued (autocannon stops sending, not the server working) finish before the
        // warm run: the warm request, asked once, is answered only after them (the pool serves in order).
        await (await send(999_999)).arrayBuffer(); // not cached: it waits its turn behind them
        await (await send(0)).arrayBuffer();
        const warm = await run(false);
        const fmtRun = (label: string, r: autocannon.Result) =>
          `  ${label.padEnd(18)} p50 ${ms(r.latency.p50)}  p95 ${ms(pct95(r))}  p99 ${ms(r.latency.p99)}  ${Math.round(r.requests.average).toLocaleString('en-US')} req/s  (${r.requests.total.toLocaleString('en-US')} requests, ${r.errors + r.non2xx} errors/non-2xx)`;
        lines.push(
          k.name,
          `  direct (no HTTP)   p50 ${ms(pct(d, 50))}  p95 ${ms(pct(d, 95))}   (${SEQ} distinct queries, one at a time)`,
          `  cold, one at a time p50 ${ms(pct(seq, 50))}  p95 ${ms(pct(seq, 95))}   ratio to direct p50 ${(pct(seq, 50) / pct(d, 50)).toFixed(2)}×`,
          fmtRun('cold, 50 conns', cold),
          fmtRun('warm, 50 conns', warm),
        );
      }
    } finally {
      await server.stop();
    }
    console.log(lines.join('\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** autocannon reports p90 and p97.5, not p95: the larger of the two brackets it from above. */
const pct95 = (r: autocannon.Result) => (r.latency as unknown as Record<string, number>).p97_5 ?? r.latency.p99;
