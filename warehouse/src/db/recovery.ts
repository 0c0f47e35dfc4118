import type { Connection } from './duckdb.ts';

/**
 * A load or build whose process died (SIGKILL, power loss) committed nothing — each file and each build is
 * one transaction that also sets its audit row's final status — so its audit row still says "running". Only one process can hold the database for
 * writing, and it runs its own loads and builds one at a time, so any such row it sees at the start of a
 * new one is from a process that is gone.
 */
export async function markInterrupted(c: Connection): Promise<number> {
  const message = 'the process stopped before this finished; nothing of it was committed';
  const loads = Number(await c.value(`SELECT count(*) FROM meta.loads WHERE status = 'running'`));
  const builds = Number(await c.value(`SELECT count(*) FROM meta.builds WHERE status = 'running'`));
  if (loads) await c.run(`UPDATE meta.loads SET status = 'interrupted', message = $1 WHERE status = 'running'`, [message]);
  if (builds) await c.run(`UPDATE meta.builds SET status = 'interrupted', message = $1 WHERE status = 'running'`, [message]);
  return loads + builds;
}
