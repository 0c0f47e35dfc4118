import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { Database, parseSpecText, type Connection, type LoadResult } from '@scrm/warehouse';

/** Fresh DuckDB files in a temporary folder for loader tests, with specs resolved against that folder. */
export function scratch(prefix: string) {
  const dir = mkdtempSync(join(tmpdir(), `scrm-${prefix}-`));
  const open: { db: Database; c: Connection }[] = [];
  return {
    dir,
    /** The connections opened so far, first first. */
    open,
    async warehouse(name: string): Promise<Connection> {
      const db = await Database.open(join(dir, `${name}.duckdb`));
      const c = await db.connect();
      open.push({ db, c });
      return c;
    },
    spec: (yaml: string) => parseSpecText(yaml, join(dir, 'spec.yaml')),
    close() {
      for (const { db, c } of open) {
        c.close();
        db.close();
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every record read is accounted for. */
export const accounted = (r: LoadResult) => expect(r.read).toBe(r.loaded + r.updated + r.duplicate + r.quarantined);
