import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Database, REPO_ROOT } from '@scrm/warehouse';
import { rawChecksums } from '../setup/checksums.ts';

/**
 * SIGKILL during a load, at several points: the database still opens, nothing partial of a file is left,
 * and the rerun ends identical to a load that was never interrupted.
 */
const dir = mkdtempSync(join(tmpdir(), 'scrm-crash-'));
const LINES = 1_000_000;

/**
 * Runs `scrm load`; with `killAfterMs`, SIGKILLs it that long after it announced its first file ("loading …"),
 * so that kills land in the load itself however long start-up takes on a busy machine. `ms` is the time
 * from that announcement to exit.
 */
function scrmLoad(db: string, killAfterMs?: number) {
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number; err: string }>((resolve, reject) => {
    // node itself (not the tsx wrapper, which runs node as a child): the killed pid is the one holding the database.
    const p = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'warehouse/src/cli/main.ts'), 'load', '--db', db, join(dir, 'spec.yaml')], { cwd: REPO_ROOT });
    let err = '';
    let loadingSince: number | undefined;
    let timer: NodeJS.Timeout | undefined;
    p.stderr.on('data', (d) => {
      err += d;
      if (loadingSince === undefined && /^loading /m.test(err)) {
        loadingSince = performance.now();
        // On a busy machine the load may finish before its kill is due: then there is nothing to kill.
        if (killAfterMs !== undefined) timer = setTimeout(() => p.exitCode === null && p.signalCode === null && p.kill('SIGKILL'), killAfterMs);
      }
    });
    p.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (loadingSince === undefined) reject(new Error(`scrm load ended (${code ?? signal}) before it began loading:\n${err}`));
      else resolve({ code, signal, ms: performance.now() - loadingSince, err });
    });
  });
}

async function checksums(path: string) {
  const db = await Database.open(path, { readOnly: true });
  try {
    return await db.with(async (c) => ({ raw: await rawChecksums(c), loads: await c.all<{ source: string; status: string }>(`SELECT source, status FROM meta.loads ORDER BY load_id`) }));
  } finally {
    db.close();
  }
}

let reference: Awaited<ReturnType<typeof checksums>>;
let referenceMs: number;

beforeAll(async () => {
  const db = await Database.open(':memory:');
  await db.with((c) =>
    c.run(`COPY (SELECT 'INV' || (i // 3) AS InvoiceNo, strftime(TIMESTAMP '2025-01-01' + INTERVAL (i // 3) MINUTE, '%m/%d/%Y %H:%M') AS InvoiceDate,
      'C' || (i // 30) AS CustomerID, 'completed' AS Status, 'SKU' || (i % 997) AS StockCode, 'Item ' || (i % 997) AS Description,
      1 + i % 3 AS Quantity, round(1 + (i % 991) / 10.0, 2) AS UnitPrice FROM range(${LINES}) t(i)) TO '${join(dir, 'orders.csv')}' (HEADER)`),
  );
  db.close();
  writeFileSync(
    join(dir, 'spec.yaml'),
    `sources:
  - { name: orders, entity: orders, path: orders.csv, options: { timestampformat: "%m/%d/%Y %H:%M", extra: false }, columns: { order_id: InvoiceNo, ordered_at: InvoiceDate } }
  - { name: lines, entity: order_lines, path: orders.csv, options: { extra: false }, columns: { order_id: InvoiceNo } }
`,
  );
  const ref = await scrmLoad(join(dir, 'reference.duckdb'));
  expect(ref.code, ref.err).toBe(0);
  referenceMs = ref.ms;
  reference = await checksums(join(dir, 'reference.duckdb'));
}, 240_000);

describe('SIGKILL during a load', () => {
  it('leaves an openable database whose rerun equals an uninterrupted load', async () => {
    expect(reference.raw.order_lines.rows).toBe(LINES);
    expect(reference.raw.orders.rows).toBe(Math.ceil(LINES / 3));
    const db = join(dir, 'killed.duckdb');
    const kills = [0.2, 0.45, 0.7, 0.9].map((f) => Math.round(referenceMs * f));
    let killed = 0;
    for (const at of kills) {
      const r = await scrmLoad(db, at);
      if (r.signal === 'SIGKILL') killed++;
      // The database opens after every kill, and holds only whole files.
      const state = await checksums(db).catch((err: Error) => {
        throw new Error(`database did not open after a kill at ${at} ms: ${err.message}`);
      });
      // Killed before it created its tables, or mid-file: either way no file is half there.
      for (const t of ['orders', 'order_lines'] as const) expect([0, reference.raw[t].rows]).toContain(state.raw[t]?.rows ?? 0);
    }
    expect(killed).toBeGreaterThanOrEqual(2);
    const final = await scrmLoad(db);
    expect(final.code, final.err).toBe(0);
    const after = await checksums(db);
    expect(after.raw).toEqual(reference.raw);
    // Every started load is accounted for: loaded once per source, the killed ones marked interrupted.
    expect(after.loads.filter((l) => l.status === 'loaded').map((l) => l.source).sort()).toEqual(['lines', 'orders']);
    expect(after.loads.filter((l) => l.status === 'running')).toEqual([]);
    expect(after.loads.filter((l) => l.status === 'interrupted').length).toBeGreaterThanOrEqual(1);
  }, 300_000);
});
