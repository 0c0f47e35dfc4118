import { describeRun, runBuild, type BuildEvent, type BuildResult } from './build/runner.ts';
import type { Connection, Database } from './db/duckdb.ts';
import { describeLoad, loadSpec, type LoadEvent, type LoadResult } from './load/loader.ts';
import { readSpec } from './load/spec.ts';
import { SQL_DIR } from './paths.ts';

/**
 * Loads and builds run by a long-lived process that owns the database (`scrm serve`): the CLI hands them
 * over, they run one at a time on a connection of their own, and readers on other connections keep
 * answering from the last committed data meanwhile.
 */
export type JobRequest =
  | { kind: 'load'; spec: string; source?: string; force?: boolean }
  | { kind: 'build'; asOf?: string; select?: string; fullRefresh?: boolean; sqlDir?: string };

export interface JobProgress {
  source?: string;
  file?: string;
  percent: number | null;
}

export interface Job {
  id: number;
  request: JobRequest;
  status: 'queued' | 'running' | 'done' | 'failed';
  submittedAt: string;
  startedAt?: string;
  finishedAt?: string;
  /** Human-readable log lines, in order. */
  log: string[];
  progress?: JobProgress;
  result?: LoadResult[] | BuildResult;
  error?: string;
}

export class JobQueue {
  private jobs = new Map<number, Job>();
  private nextId = 1;
  private tail: Promise<void> = Promise.resolve();
  private connection: Promise<Connection> | undefined;

  constructor(private readonly db: Database, private readonly onFinished?: (job: Job) => void) {}

  submit(request: JobRequest): Job {
    const job: Job = { id: this.nextId++, request, status: 'queued', submittedAt: new Date().toISOString(), log: [] };
    this.jobs.set(job.id, job);
    this.tail = this.tail.then(() => this.run(job));
    // Keep the last 100 jobs (a Map iterates oldest first).
    while (this.jobs.size > 100) this.jobs.delete(this.jobs.keys().next().value!);
    return job;
  }

  get(id: number): Job | undefined {
    return this.jobs.get(id);
  }

  list(): Job[] {
    return [...this.jobs.values()].reverse();
  }

  private async run(job: Job): Promise<void> {
    job.status = 'running';
    job.startedAt = new Date().toISOString();
    this.connection ??= this.db.connect();
    const c = await this.connection;
    try {
      if (job.request.kind === 'load') {
        const r = job.request;
        const spec = readSpec(r.spec);
        job.result = await loadSpec(c, spec, {
          only: r.source,
          force: r.force,
          onEvent: (e: LoadEvent) => {
            if (e.type === 'start') {
              job.progress = { source: e.source, file: e.file, percent: 0 };
              job.log.push(`loading ${e.source}: ${e.file}`);
            } else if (e.type === 'progress') {
              job.progress = { source: e.source, file: e.file, percent: e.percent };
            } else {
              job.log.push(describeLoad(e.result));
            }
          },
        });
        const failed = (job.result as LoadResult[]).filter((x) => x.status === 'failed');
        job.status = failed.length ? 'failed' : 'done';
        if (failed.length) job.error = `${failed.length} file(s) failed: ${failed.map((f) => `${f.source}: ${f.message}`).join('; ')}`;
      } else {
        const r = job.request;
        job.result = await runBuild(c, {
          sqlDir: r.sqlDir ?? SQL_DIR,
          asOf: r.asOf ?? new Date().toISOString().slice(0, 10),
          select: r.select,
          fullRefresh: r.fullRefresh,
          onEvent: (e: BuildEvent) => {
            if (e.type === 'model') job.log.push(`built ${describeRun(e)}`);
            else if (e.type === 'analytics') job.log.push(`${e.model}: ${e.step} ${e.status} — ${e.message}`);
          },
        });
        job.status = 'done';
      }
    } catch (err) {
      job.status = 'failed';
      job.error = (err as Error).message;
      job.log.push(`failed: ${job.error}`);
    } finally {
      job.finishedAt = new Date().toISOString();
      job.progress = undefined;
      this.onFinished?.(job);
    }
  }
}
