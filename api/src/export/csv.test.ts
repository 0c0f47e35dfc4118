import { describe, expect, it } from 'vitest';
import { tableFromIPC } from 'apache-arrow';
import { ArrowEncoder } from './arrow.ts';
import { Database } from '@scrm/warehouse';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CSV_COPY_OPTIONS } from './csv.ts';

const columns = [
  { name: 'id', type: 'text' as const },
  { name: 'n', type: 'integer' as const },
  { name: 'x', type: 'double' as const },
  { name: 'ok', type: 'boolean' as const },
  { name: 'd', type: 'date' as const },
  { name: 't', type: 'timestamp' as const },
];
// Column-major, as DuckDB's chunks come.
const values = [
  ['a', 'say "hi", twice', null],
  [1n, 2n, null],
  [1.5, -0.25, null],
  [true, false, null],
  [new Date('2026-01-02T00:00:00Z'), new Date('1999-12-31T00:00:00Z'), null],
  [new Date('2026-01-02T03:04:05.678Z'), new Date('2000-01-01T00:00:00Z'), null],
];

describe('export encoders', () => {
  it('CSV: RFC 4180 quoting, CR LF, ISO dates and timestamps, empty nulls — written by DuckDB with our options', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scrm-csv-'));
    const db = await Database.open(':memory:');
    try {
      const file = join(dir, 'x.csv');
      await db.with((c) =>
        c.run(`COPY (SELECT * FROM (VALUES ('a', 1, 1.5::DOUBLE, true, DATE '2026-01-02', TIMESTAMP '2026-01-02 03:04:05.678'),
                                   ('say "hi", twice', 2, -0.25, false, DATE '1999-12-31', TIMESTAMP '2000-01-01 00:00:00'),
                                   ('two' || chr(10) || 'lines', 3, 1e-7, false, NULL, NULL),
                                   (NULL, NULL, NULL, NULL, NULL, NULL)) v(id, n, x, ok, d, t)) TO '${file}' (${CSV_COPY_OPTIONS})`),
      );
      expect(readFileSync(file, 'utf8')).toBe(
        [
          'id,n,x,ok,d,t',
          'a,1,1.5,true,2026-01-02,2026-01-02T03:04:05.678Z',
          '"say ""hi"", twice",2,-0.25,false,1999-12-31,2000-01-01T00:00:00.000Z',
          '"two\nlines",3,1e-07,false,,',
          ',,,,,',
        ].join('\r\n') + '\r\n',
      );
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('Arrow: schema, batch by batch, end of stream — one readable IPC stream', () => {
    const enc = new ArrowEncoder(columns);
    const parts = [...enc.start(), ...enc.batch(values, 3), ...enc.batch(values.map((c) => c.slice(0, 1)), 1), ...enc.end()];
    const table = tableFromIPC(Buffer.concat(parts));
    expect(table.numRows).toBe(4);
    expect(table.batches).toHaveLength(2);
    expect(table.getChild('id')!.toArray()).toEqual(['a', 'say "hi", twice', null, 'a']);
    expect([...table.getChild('n')!]).toEqual([1n, 2n, null, 1n]);
    expect(table.get(0)!.toJSON()).toMatchObject({ x: 1.5, ok: true, d: Date.UTC(2026, 0, 2), t: Date.UTC(2026, 0, 2, 3, 4, 5, 678) });
  });
});
