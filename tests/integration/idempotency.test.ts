import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database, loadSpec, readSpec, type Connection } from '@scrm/warehouse';
import { rawChecksums } from '../setup/checksums.ts';
import { smallDemoDir } from '../setup/paths.ts';
import { copySmallDb } from '../setup/server.ts';

/** Loading the same exports again changes nothing: not when files are skipped, not when forced through. */
let db: Database;
let c: Connection;
beforeAll(async () => {
  db = await Database.open(copySmallDb());
  c = await db.connect();
});
afterAll(() => {
  c.close();
  db.close();
});

describe('re-loading the demo fixtures', () => {
  it('skips files already loaded and leaves every raw table identical', async () => {
    const before = await rawChecksums(c);
    const results = await loadSpec(c, readSpec(join(smallDemoDir(), 'sources.yaml')));
    expect(results.length).toBe(11);
    expect(results.every((r) => r.status === 'skipped')).toBe(true);
    expect(await rawChecksums(c)).toEqual(before);
  });

  it('forced through, every record is a duplicate and every raw table stays identical', async () => {
    const before = await rawChecksums(c);
    const results = await loadSpec(c, readSpec(join(smallDemoDir(), 'sources.yaml')), { force: true });
    for (const r of results) {
      expect(r.status, r.source).toBe('loaded');
      expect(r.loaded + r.updated, r.source).toBe(0);
      expect(r.duplicate + r.quarantined, r.source).toBe(r.read);
    }
    expect(await rawChecksums(c)).toEqual(before);
    expect(before.order_lines.rows).toBeGreaterThan(10_000);
  });
});
