import { mkdirSync, rmSync } from 'node:fs';
import { Database, runDemo } from '@scrm/warehouse';
import { SMALL_DB, SMALL_DEMO_DIR, TMP_DIR } from './paths.ts';

/** Builds the small demo warehouse once for the whole run, from freshly generated files. */
export default async function setup() {
  mkdirSync(TMP_DIR, { recursive: true });
  rmSync(SMALL_DB, { force: true });
  rmSync(SMALL_DB + '.wal', { force: true });
  rmSync(SMALL_DEMO_DIR, { recursive: true, force: true });
  const db = await Database.open(SMALL_DB);
  try {
    await db.with((c) => runDemo(c, { scale: 'small', dir: SMALL_DEMO_DIR }));
  } finally {
    db.close();
  }
}
