import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '@scrm/warehouse';
import { copySmallDb, runScrm, startScrmServer } from '../setup/server.ts';

/**
 * `scrm load` and `scrm build` while `scrm serve` owns the database: the CLI hands the work to the server,
 * the dashboard's API keeps answering during the load, and shows the new data after the build.
 */
let server: Awaited<ReturnType<typeof startScrmServer>>;
let dbPath: string;
const dir = mkdtempSync(join(tmpdir(), 'scrm-jobs-'));



beforeAll(async () => {
  dbPath = copySmallDb();
  server = await startScrmServer(dbPath);
  // A day of new mentions of Faro, after the demo's last day.
  const lines = Array.from({ length: 3000 }, (_, i) =>
    JSON.stringify({ id: `NEW${i}`, network: 'x', author_handle: `fan${i}`, created_at: `2026-11-01T${String(i % 24).padStart(2, '0')}:00:00Z`, text: 'Faro news', brand: 'Faro', likes: 1, sentiment: 'neutral' }),
  );
  lines.push(JSON.stringify({ id: 'BAD1', network: 'x', created_at: '2026-11-01T05:00:00Z', text: 'Faro', brand: 'Faro', likes: -3 }));
  writeFileSync(join(dir, 'mentions.ndjson'), lines.join('\n') + '\n');
  writeFileSync(join(dir, 'spec.yaml'), `sources:\n  - { name: new_mentions, entity: mentions, path: mentions.ndjson, columns: { mention_id: id, posted_at: created_at, source_sentiment: sentiment } }\n`);
});
afterAll(() => server?.stop());

const faroOnNov1 = async () => {
  const res = await server.fetch(`api/metrics?measures=mentions&brand=Faro&from=2026-11-01&to=2026-11-01&comparison=none`);
  return ((await res.json()) as { totals: { mentions: number | null } }).totals.mentions;
};

describe('jobs handed to the server', () => {
  it('announces itself beside the database with a private token', () => {
    const info = JSON.parse(readFileSync(`${dbPath}.server.json`, 'utf8'));
    expect(info).toMatchObject({ url: server.url, db: dbPath });
    expect(info.token).toMatch(/^[0-9a-f]{48}$/);
  });

  it('refuses jobs without a token or with an unknown one (401), and from other roles than admin (403)', async () => {
    const body = JSON.stringify({ kind: 'build' });
    expect((await fetch(`${server.url}api/jobs`, { method: 'POST', body })).status).toBe(401);
    expect((await fetch(`${server.url}api/jobs`, { method: 'POST', body, headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    expect((await server.fetch('api/jobs', { method: 'POST', body }, 'analyst')).status).toBe(403);
  });

  it('loads through the server while the API keeps answering, and builds so the new data shows', async () => {
    expect(await faroOnNov1()).toBeNull();
    const load = runScrm('load', '--db', dbPath, join(dir, 'spec.yaml'));
    const statuses: number[] = [];
    let done = false;
    load.then(() => (done = true));
    while (!done) {
      const res = await server.fetch(`api/metrics?measures=revenue,mentions&from=2026-08-01&to=2026-10-31`);
      statuses.push(res.status);
      await res.arrayBuffer();
    }
    const r = await load;
    expect(r.err).toMatch(/handed over/);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/new_mentions\s+loaded\s+3001\s+3000\s+0\s+0\s+1/);
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 200)).toBe(true);

    const b = await runScrm('build', '--db', dbPath, '--as-of', '2026-11-02');
    expect(b.code).toBe(0);
    expect(b.err).toMatch(/the server now serves it/);
    expect(await faroOnNov1()).toBe(3000);
  });

  it('the load audit and the quarantine summary are served', async () => {
    const loads = (await (await server.fetch('api/loads?limit=1')).json()) as { loads: Record<string, unknown>[] };
    expect(loads.loads).toHaveLength(1);
    expect(loads.loads[0]).toMatchObject({ source: 'new_mentions', status: 'loaded', rows_read: 3001, rows_loaded: 3000, rows_quarantined: 1 });
    const summary = (await (await server.fetch('api/quarantine/summary')).json()) as { reasons: Record<string, unknown>[] };
    expect(summary.reasons).toEqual([expect.objectContaining({ source: 'new_mentions', entity: 'mentions', reason: 'negative value in likes', rows: 1 })]);
  });

  it('a failing job fails the command with the server’s message', async () => {
    const r = await runScrm('build', '--db', dbPath, '--select', 'no_such_model');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/no model named no_such_model/);
  });
});

describe('a build that fails while the server serves', () => {
  /** A copy of sql/ in which marts.orders doubles every amount, plus `extra` models: a build that got through would show it. */
  const brokenSql = (name: string, extra: Record<string, string>) => {
    const sqlDir = join(dir, name);
    cpSync(join(REPO_ROOT, 'sql'), sqlDir, { recursive: true });
    const ordersFile = join(sqlDir, 'models/marts/orders.sql');
    const orders = readFileSync(ordersFile, 'utf8');
    const doubled = orders.replace('coalesce(l.amount, o.total_amount, 0) AS amount', '2 * coalesce(l.amount, o.total_amount, 0) AS amount');
    expect(doubled).not.toBe(orders);
    writeFileSync(ordersFile, doubled);
    for (const [file, text] of Object.entries(extra)) writeFileSync(join(sqlDir, 'models/marts', file), text);
    return sqlDir;
  };
  const served = async () => {
    const metrics = await (await server.fetch(`api/metrics?measures=revenue,orders,mentions&from=2026-08-01&to=2026-11-01&comparison=none`)).json();
    const health = (await (await server.fetch('api/health')).json()) as { build: { id: number } };
    const orders = (await (await server.fetch('api/models/marts.orders')).json()) as { rows: number; freshness: unknown };
    return { totals: (metrics as { totals: unknown }).totals, build: health.build.id, rows: orders.rows, freshness: orders.freshness };
  };
  const lastJob = async () => {
    const { token } = JSON.parse(readFileSync(`${dbPath}.server.json`, 'utf8'));
    const jobs = (await (await fetch(`${server.url}api/jobs`, { headers: { authorization: `Bearer ${token}` } })).json()) as { status: string; error?: string }[];
    return jobs[0];
  };

  it('a model with a SQL error fails the build, names the model, and the previous marts keep serving', async () => {
    const before = await served();
    const sqlDir = brokenSql('sql-broken', { 'zz_broken.sql': '/*---\ndescription: A model with a typo.\n---*/\nSELECT order_id, no_such_column FROM marts.orders\n' });
    const r = await runScrm('build', '--db', dbPath, '--sql-dir', sqlDir, '--as-of', '2026-11-02');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/Build \d+ failed; the previous marts keep serving\. model marts\.zz_broken \(.*zz_broken\.sql\): .*no_such_column/);
    expect(await lastJob()).toMatchObject({ status: 'failed', error: expect.stringMatching(/model marts\.zz_broken/) });
    expect(await served()).toEqual(before);
  });

  it('a failing model test fails the build the same way', async () => {
    const before = await served();
    const sqlDir = brokenSql('sql-failing-test', {
      'zz_checked.sql': '/*---\ndescription: Orders that must all have a customer (guests do not).\ntests:\n  not_null: [customer_id]\n---*/\nSELECT order_id, customer_id FROM marts.orders\n',
    });
    const r = await runScrm('build', '--db', dbPath, '--sql-dir', sqlDir, '--as-of', '2026-11-02');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/model marts\.zz_checked .*test not_null\(customer_id\) failed on marts\.zz_checked: \d+ failing row/);
    expect(await lastJob()).toMatchObject({ status: 'failed', error: expect.stringMatching(/marts\.zz_checked/) });
    expect(await served()).toEqual(before);
  });

  it('the failed builds left the incremental state alone: the next build of the real models runs marts.orders incrementally', async () => {
    const r = await runScrm('build', '--db', dbPath, '--as-of', '2026-11-02');
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/built marts\.orders incremental: 0 new\/changed rows/);
  });
});
