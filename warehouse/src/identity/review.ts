import type { Connection } from '../db/duckdb.ts';
import { ensureSchema } from '../db/schema.ts';

/**
 * The identity review queue: probabilistic matches a person must confirm (marts.identity_review_queue) and
 * their decisions (meta.identity_decisions, append-only; the latest per pair wins). Decisions take effect on
 * the next build, which links accepted pairs and never re-links rejected ones.
 */
export type ReviewItem = {
  profile_id: string;
  customer_id: string;
  network: string | null;
  display_name: string | null;
  handle: string | null;
  customer_name: string | null;
  city: string | null;
  match_probability: number;
  reason: string;
};

export interface Decision {
  profileId: string;
  customerId: string;
  decision: 'accept' | 'reject';
  decidedBy?: string;
  note?: string;
}

export class ReviewError extends Error {
  constructor(message: string, readonly status: 400 | 404 | 409 = 400) {
    super(message);
  }
}

export async function reviewQueue(c: Connection, opts: { limit?: number; offset?: number } = {}): Promise<{ total: number; items: ReviewItem[] }> {
  const exists = await c.value(`SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'marts' AND table_name = 'identity_review_queue'`);
  if (Number(exists) === 0) return { total: 0, items: [] };
  const total = Number(await c.value(`SELECT count(*) FROM marts.identity_review_queue`));
  const items = await c.all<ReviewItem>(
    `SELECT profile_id, customer_id, network, display_name, handle, customer_name, city, match_probability, reason
     FROM marts.identity_review_queue ORDER BY match_probability DESC, profile_id, customer_id LIMIT $1 OFFSET $2`,
    [opts.limit ?? 50, opts.offset ?? 0],
  );
  return { total, items };
}

/** Records a reviewer's decision on a profile–customer pair. The pair must exist as a profile and a customer. */
export async function decide(c: Connection, d: Decision): Promise<void> {
  if (d.decision !== 'accept' && d.decision !== 'reject') throw new ReviewError(`decision must be accept or reject, not "${d.decision}"`);
  await ensureSchema(c);
  const profile = await c.value(`SELECT count(*) FROM raw.social_profiles WHERE profile_id = $1`, [d.profileId]);
  if (Number(profile) === 0) throw new ReviewError(`no social profile ${d.profileId}`, 404);
  const customer = await c.value(`SELECT count(*) FROM raw.customers WHERE customer_id = $1`, [d.customerId]);
  if (Number(customer) === 0) throw new ReviewError(`no customer ${d.customerId}`, 404);
  await c.run(
    `INSERT INTO meta.identity_decisions (profile_id, customer_id, decision, decided_by, decided_at, note) VALUES ($1, $2, $3, $4, now(), $5)`,
    [d.profileId, d.customerId, d.decision, d.decidedBy ?? null, d.note ?? null],
  );
}
