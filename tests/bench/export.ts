// pnpm bench export [--customers 1000000] [--source data/bench/large-readonly.duckdb]
//   Streams a segment of the large bench warehouse as CSV through a real `scrm serve` and reports rows/s, the
//   server's RSS growth while it streams (sampled from /proc), and raw DuckDB's COPY … TO csv of the same query on
//   the same file as the baseline. Works on a temporary copy of the warehouse (the bench file is shared and
//   read-only); the copy is deleted at the end. The segment is every customer (customer_id not null); when the
//   warehouse has fewer consented customers than --customers, consent is set on enough of them in the copy.
//   A warehouse built before marts.customer_360 existed is built (as of its last build's date) in the copy first.
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database, REPO_ROOT, runBuild, SQL_DIR } from '@scrm/warehouse';
import { EXPORT_COLUMNS, exportQuery, findSegment, segmentColumns } from '@scrm/warehouse/segments/index';
import { startScrmServer } from '../setup/server.ts';

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

export async function benchExport(customers: number, source = join(REPO_ROOT, 'data/bench/large-readonly.duckdb')) {
  const dir = mkdtempSync(join(tmpdir(), 'scrm-bench-export-'));
  const dbPath = join(dir, 'w.duckdb');
  try {
    process.stderr.write(`… copying ${source} (${fmt(statSync(source).size / 2 ** 20)} MB) to ${dbPath}\n`);
    copyFileSync(source, dbPath);
    const db = await Database.open(dbPath, { memoryLimit: process.env.SCRM_MEMORY_LIMIT ?? '4GB' });
    const setup = await db.with(async (c) => {
      if (!(await c.value(`SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'marts' AND table_name = 'customer_360'`))) {
        const asOf = await c.value<string>(`SELECT max(as_of) FROM meta.builds WHERE status = 'ok'`);
        process.stderr.write(`… no marts.customer_360 in this warehouse: building the copy as of ${asOf} (minutes)\n`);
        await runBuild(c, { sqlDir: SQL_DIR, asOf });
      }
      const total = Number(await c.value(`SELECT count(*) FROM marts.customer_360`));
      let consented = Number(await c.value(`SELECT count(*) FROM marts.customer_360 WHERE marketing_consent`));
      let added = 0;
      if (consented < Math.min(customers, total)) {
        added = Math.min(customers, total) - consented;
        await c.run(`UPDATE marts.customer_360 SET marketing_consent = true WHERE customer_id IN (SELECT customer_id FROM marts.customer_360 WHERE marketing_consent IS NOT TRUE ORDER BY customer_id LIMIT ${added})`);
        consented += added;
      }
      await c.run('CHECKPOINT');
      return { total, consented, added };
    });
    db.close();
    process.stderr.write(`… ${fmt(setup.total)} customers, ${fmt(setup.consented)} consented${setup.added ? ` (${fmt(setup.added)} set consenting in the copy)` : ''}\n`);

    const server = await startScrmServer(dbPath);
    let ours: { rows: number; ms: number; firstByteMs: number; bytes: number; baseRss: number; peakRss: number; sha: string };
    try {
      const pid = JSON.parse(readFileSync(`${dbPath}.server.json`, 'utf8')).pid as number;
      const created = await server.fetch('api/segments', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'everyone', where: { dimension: 'customer_id', op: 'not_null' } }),
      }, 'marketing');
      if (created.status !== 201) throw new Error(`saving the segment: ${created.status} ${await created.text()}`);
      const { id } = (await created.json()) as { id: string };
      // Warm up (first query plans, page cache), then measure.
      await (await server.fetch(`api/segments/${id}/members?limit=1`, {}, 'marketing')).arrayBuffer();
      const baseRss = rssMb(pid);
      let peakRss = baseRss;
      const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMb(pid))), 25);
      const t = performance.now();
      const res = await server.fetch(`api/segments/${id}/export?format=csv`, {}, 'marketing');
      if (res.status !== 200) throw new Error(`export: ${res.status} ${await res.text()}`);
      const hash = createHash('sha256');
      let bytes = 0, newlines = 0, firstByteMs = 0;
      for await (const part of res.body as unknown as AsyncIterable<Uint8Array>) {
        if (!firstByteMs) firstByteMs = performance.now() - t;
        hash.update(part);
        bytes += part.byteLength;
        for (let i = part.indexOf(10); i !== -1; i = part.indexOf(10, i + 1)) newlines++;
      }
      const ms = performance.now() - t;
      clearInterval(sampler);
      peakRss = Math.max(peakRss, rssMb(pid));
      ours = { rows: newlines - 1, ms, firstByteMs, bytes, baseRss, peakRss, sha: hash.digest('hex') };
    } finally {
      await server.stop();
    }

    // Baseline: DuckDB itself writing the same query's CSV to a file.
    const raw = await (async () => {
      const db = await Database.open(dbPath);
      try {
        return await db.with(async (c) => {
          const s = (await findSegment(c, '1'))!;
          const q = exportQuery(s, await segmentColumns(c));
          const out = join(dir, 'raw.csv');
          const t = performance.now();
          const r = await c.raw.run(`COPY (${q.sql}) TO '${out}' (FORMAT csv, HEADER)`, q.parameters);
          const ms = performance.now() - t;
          const audit = await c.one<{ rows: number; sha256: string }>(`SELECT rows, sha256 FROM meta.export_audit ORDER BY export_id DESC LIMIT 1`);
          return { rows: Number(r.rowsChanged), ms, bytes: statSync(out).size, audit };
        });
      } finally {
        db.close();
      }
    })();
    const oursRate = ours.rows / (ours.ms / 1000);
    const rawRate = raw.rows / (raw.ms / 1000);
    const lines = [
      `export benchmark: segment of ${fmt(ours.rows)} consented customers (${EXPORT_COLUMNS.length} columns) as CSV through scrm serve`,
      `ours      ${fmt(ours.ms)} ms (first byte after ${fmt(ours.firstByteMs)} ms)   ${fmt(oursRate)} rows/s   ${fmt(ours.bytes / 2 ** 20)} MB   server RSS ${fmt(ours.baseRss)} → peak ${fmt(ours.peakRss)} MB (growth ${fmt(ours.peakRss - ours.baseRss)} MB)`,
      `raw DuckDB COPY (same query) TO csv: ${fmt(raw.ms)} ms   ${fmt(rawRate)} rows/s   ${fmt(raw.bytes / 2 ** 20)} MB`,
      `throughput ratio ours/raw = ${(oursRate / rawRate).toFixed(2)}`,
      `audit: rows ${raw.audit?.rows}, sha256 ${raw.audit?.sha256 === ours.sha ? 'equals' : 'DIFFERS FROM'} the downloaded bytes' hash`,
    ];
    console.log(lines.join('\n'));
    return { ours, raw, setup };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
