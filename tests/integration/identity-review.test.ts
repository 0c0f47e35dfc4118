import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '@scrm/warehouse';
import { copySmallDb, runScrm, startScrmServer, TEST_TOKENS } from '../setup/server.ts';

/**
 * Reviewers' identity decisions, through the real server: the CLI hands them to `scrm serve`, the API refuses
 * them without the server token, and the next build links accepted pairs and never re-links rejected ones.
 */
let server: Awaited<ReturnType<typeof startScrmServer>>;
let dbPath: string;
let token: string;
let accepted: { profile_id: string; customer_id: string };
let rejected: { profile_id: string; customer_id: string };



const post = (body: unknown, auth?: string) =>
  fetch(new URL('/api/identity/review', server.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
    body: JSON.stringify(body),
  });
const analyst = { authorization: `Bearer ${TEST_TOKENS.analyst}` };

beforeAll(async () => {
  dbPath = copySmallDb();
  // Before serving: an automatic fuzzy link to reject, and an unlinked profile to tie to a customer by hand.
  const db = await Database.open(dbPath, { readOnly: true });
  await db.with(async (c) => {
    rejected = (await c.one<{ profile_id: string; customer_id: string }>(
      `SELECT profile_id, customer_id FROM marts.identity_links WHERE method = 'fuzzy' ORDER BY profile_id LIMIT 1`,
    ))!;
    accepted = (await c.one<{ profile_id: string; customer_id: string }>(
      `SELECT p.profile_id, (SELECT min(customer_id) FROM raw.customers) AS customer_id FROM raw.social_profiles p
       ANTI JOIN marts.identity_links l ON l.record_id = p.profile_id ORDER BY p.profile_id LIMIT 1`,
    ))!;
  });
  db.close();
  expect(rejected?.profile_id).toBeTruthy();
  expect(accepted?.profile_id).toBeTruthy();
  server = await startScrmServer(dbPath);
  token = JSON.parse(readFileSync(`${dbPath}.server.json`, 'utf8')).token;
});

afterAll(async () => {
  await server?.stop();
  rmSync(dirname(dbPath), { recursive: true, force: true });
});

describe('identity review', () => {
  it('lists the queue over HTTP and the CLI', async () => {
    expect((await fetch(new URL('/api/identity/review?limit=10', server.url))).status).toBe(401);
    expect((await server.fetch('/api/identity/review?limit=10', {}, 'executive')).status).toBe(403);
    const res = await server.fetch('/api/identity/review?limit=10', {}, 'analyst');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ total: expect.any(Number), items: expect.any(Array) });
    const cli = await runScrm('identity', 'review', '--db', dbPath, '--json');
    expect(cli.code).toBe(0);
    expect(JSON.parse(cli.out).total).toBe(body.total);
    expect((await fetch(new URL('/api/identity/review?limit=0', server.url), { headers: analyst })).status).toBe(400);
  });

  it('refuses decisions without a token or with an unknown one (401), from an analyst (403), and malformed or unknown pairs (400, 404)', async () => {
    const ok = { ...accepted, decision: 'accept' };
    expect((await post(ok)).status).toBe(401);
    expect((await post(ok, 'Bearer nope')).status).toBe(401);
    expect((await post(ok, analyst.authorization)).status).toBe(403);
    const bad = await post({ ...accepted, decision: 'maybe' }, `Bearer ${TEST_TOKENS.admin}`);
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/decision/);
    const unknown = await post({ profile_id: 'P_NOPE', customer_id: accepted.customer_id, decision: 'accept' }, `Bearer ${token}`);
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error.message).toBe('no social profile P_NOPE');
  });

  it('after the next build, an accepted pair is linked and a rejected automatic link is gone', async () => {
    const a = await runScrm('identity', 'review', '--db', dbPath, '--accept', `${accepted.profile_id}:${accepted.customer_id}`, '--note', 'same person, checked by phone');
    expect(a.code, a.err).toBe(0);
    expect(a.err).toMatch(/accepted .* next build/);
    const r = await post({ ...rejected, decision: 'reject', decided_by: 'test' }, `Bearer ${token}`);
    expect(r.status).toBe(201);
    const b = await runScrm('build', '--db', dbPath, '--as-of', '2026-11-01');
    expect(b.code, b.err).toBe(0);
    await server.stop();
    const db = await Database.open(dbPath, { readOnly: true });
    try {
      await db.with(async (c) => {
        const links = await c.all(`SELECT record_id, customer_id, method, confidence, reviewed FROM marts.identity_links WHERE record_id IN ($1, $2) ORDER BY record_id`, [accepted.profile_id, rejected.profile_id]);
        expect(links).toEqual([{ record_id: accepted.profile_id, customer_id: accepted.customer_id, method: 'fuzzy', confidence: 1, reviewed: true }]);
        const decisions = await c.all(`SELECT profile_id, decision, note FROM meta.identity_decisions ORDER BY decided_at`);
        expect(decisions).toEqual([
          { profile_id: accepted.profile_id, decision: 'accept', note: 'same person, checked by phone' },
          { profile_id: rejected.profile_id, decision: 'reject', note: null },
        ]);
        // The linked person's 360 counts the accepted profile.
        expect(await c.value(`SELECT linked_profiles > 0 FROM marts.customer_360 WHERE customer_id = $1`, [accepted.customer_id])).toBe(true);
      });
    } finally {
      db.close();
    }
  });
});
