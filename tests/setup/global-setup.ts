import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { Database, runDemo } from '@scrm/warehouse';
import { TMP_ROOT } from './paths.ts';

/** Builds the small demo warehouse once for the whole run, from freshly generated files. */
export default async function setup(project: TestProject) {
  mkdirSync(TMP_ROOT, { recursive: true });
  const dir = mkdtempSync(join(TMP_ROOT, 'run-'));
  const db = join(dir, 'small.duckdb');
  const demoDir = join(dir, 'demo-small');
  const database = await Database.open(db, { inlineTasks: true }); // as `scrm demo`
  try {
    await database.with((c) => runDemo(c, { scale: 'small', dir: demoDir }));
  } finally {
    database.close();
  }
  project.provide('smallDb', db);
  project.provide('smallDemoDir', demoDir);
  return () => rmSync(dir, { recursive: true, force: true });
}
