// One phase of `pnpm bench load`, in its own process so its peak memory is its own. Prints one JSON line.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Database, loadSpec, readSpec } from '@scrm/warehouse';

const [phase, dir, lines, memoryLimit] = process.argv.slice(2);
const csv = join(dir, 'order_lines.csv');
const t0 = performance.now();
const out: Record<string, unknown> = { phase };

if (phase === 'make') {
  // A realistic line-level export: invoice header repeated on each line, US dates, guests, returns.
  const db = await Database.open(':memory:');
  await db.with((c) =>
    c.run(`COPY (SELECT CASE WHEN i % 97 = 0 THEN 'C' ELSE '' END || (1000000 + i // 3) AS InvoiceNo,
      strftime(TIMESTAMP '2024-01-01' + INTERVAL (i // 3) MINUTE, '%m/%d/%Y %H:%M') AS InvoiceDate,
      CASE WHEN (i // 3) % 13 = 0 THEN NULL ELSE 100000 + (i // 3) % 250000 END AS CustomerID,
      'SKU' || (i % 5000) AS StockCode, 'Product, model ' || (i % 5000) AS Description,
      CASE WHEN i % 97 = 0 THEN -1 ELSE 1 + i % 4 END AS Quantity, round(0.5 + (i % 997) / 10.0, 2) AS UnitPrice
      FROM range(${Number(lines)}) t(i)) TO '${csv}' (HEADER)`),
  );
  db.close();
} else if (phase === 'raw') {
  const path = join(dir, 'raw.duckdb');
  rmSync(path, { force: true });
  const db = await Database.open(path);
  await db.with((c) => c.run(`CREATE TABLE t AS SELECT * FROM read_csv('${csv}')`));
  db.close();
  rmSync(path, { force: true });
} else if (phase === 'ours') {
  const path = join(dir, 'ours.duckdb');
  rmSync(path, { force: true });
  rmSync(path + '.wal', { force: true });
  writeFileSync(join(dir, 'spec.yaml'), `sources:\n  - { name: lines, entity: order_lines, path: order_lines.csv, options: { extra: false }, columns: { order_id: InvoiceNo } }\n`);
  const db = await Database.open(path, { memoryLimit: memoryLimit || undefined, inlineTasks: true }); // as the CLI's load
  const [r] = await db.with((c) => loadSpec(c, readSpec(join(dir, 'spec.yaml'))));
  db.close();
  rmSync(path, { force: true });
  out.result = { status: r.status, read: r.read, loaded: r.loaded, duplicate: r.duplicate, quarantined: r.quarantined, message: r.message };
}
out.ms = Math.round(performance.now() - t0);
out.maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
console.log(JSON.stringify(out));
