import type { Job, JobRequest } from '../jobs.ts';
import type { ServerInfo } from '../server-info.ts';
import { Progress } from './progress.ts';

/**
 * Hands a load or build to the running server that owns the database, then follows it to the end:
 * its log lines are printed as they come and its progress drawn. Resolves with the finished job.
 */
export async function runRemoteJob(server: ServerInfo, request: JobRequest, progress = new Progress()): Promise<Job> {
  const headers = { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' };
  const res = await fetch(new URL('api/jobs', server.url), { method: 'POST', headers, body: JSON.stringify(request) });
  const body = (await res.json()) as Job & { error?: { message: string } };
  if (res.status !== 202) throw new Error(`the server refused the job: ${(body.error as { message?: string })?.message ?? res.status}`);
  progress.log(`scrm serve (${server.url}) owns the database: job ${body.id} handed over; the dashboard keeps answering meanwhile.`);
  let printed = 0;
  let label = '';
  for (;;) {
    await new Promise((r) => setTimeout(r, 300));
    const r = await fetch(new URL(`api/jobs/${body.id}`, server.url), { headers });
    if (!r.ok) throw new Error(`lost track of job ${body.id}: HTTP ${r.status}`);
    const job = (await r.json()) as Job;
    for (; printed < job.log.length; printed++) progress.log(`  ${job.log[printed]}`);
    if (job.status === 'done' || job.status === 'failed') {
      progress.clear();
      return job;
    }
    if (job.progress) {
      const next = job.progress.source ? `loading ${job.progress.source}` : request.kind;
      if (next !== label) progress.start((label = next));
      progress.update(job.progress.percent);
    }
  }
}
