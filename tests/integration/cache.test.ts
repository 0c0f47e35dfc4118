import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copySmallDb, runScrm, startScrmServer } from '../setup/server.ts';

/** The answer cache of a real server: hits per role and request, shared in-flight work, invalidation by a build. */
let server: Awaited<ReturnType<typeof startScrmServer>>;
let dbPath: string;
const query = 'api/metrics?measures=revenue,orders,mentions&from=2026-05-01&to=2026-10-31&grain=week';

beforeAll(async () => {
  dbPath = copySmallDb();
  server = await startScrmServer(dbPath);
});
afterAll(() => server?.stop());

describe('answer cache', () => {
  it('answers a repeated request from the cache, per role, with the same body', async () => {
    const first = await server.fetch(query, {}, 'executive');
    expect(first.headers.get('x-cache')).toBe('miss');
    const body = await first.text();
    const second = await server.fetch(query, {}, 'executive');
    expect(second.headers.get('x-cache')).toBe('hit');
    expect(await second.text()).toBe(body);
    // Another role never gets an answer cached for someone else (masking differs by role).
    expect((await server.fetch(query, {}, 'analyst')).headers.get('x-cache')).toBe('miss');
    // Another request is another entry.
    expect((await server.fetch(query + '&comparison=none', {}, 'executive')).headers.get('x-cache')).toBe('miss');
  });

  it('runs identical concurrent requests once', async () => {
    const q = 'api/metrics?measures=mentions,net_sentiment,share_of_voice&from=2024-01-01&to=2026-10-31&grain=day&dimensions=brand';
    const answers = await Promise.all(Array.from({ length: 8 }, () => server.fetch(q, {}, 'marketing')));
    expect(answers.map((r) => r.status)).toEqual(Array(8).fill(200));
    const how = answers.map((r) => r.headers.get('x-cache')).sort();
    expect(how.filter((h) => h === 'miss')).toHaveLength(1);
    expect(how.filter((h) => h === 'shared').length + how.filter((h) => h === 'hit').length).toBe(7);
    const bodies = new Set(await Promise.all(answers.map((r) => r.text())));
    expect(bodies.size).toBe(1);
  });

  it('caches POST /api/metrics/query by body, and forgets everything when a build finishes', async () => {
    const post = () =>
      server.fetch('api/metrics/query', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ measures: ['orders'], timeRange: { start: '2026-08-01', end: '2026-10-31' } }) }, 'executive');
    expect((await post()).headers.get('x-cache')).toBe('miss');
    expect((await post()).headers.get('x-cache')).toBe('hit');
    const build = await runScrm('build', '--db', dbPath, '--as-of', '2026-11-01');
    expect(build.code, build.err).toBe(0);
    expect((await post()).headers.get('x-cache')).toBe('miss');
    expect((await server.fetch(query, {}, 'executive')).headers.get('x-cache')).toBe('miss');
  }, 180_000);

  it('never caches errors or per-session answers', async () => {
    const bad = 'api/metrics?measures=nope&from=2026-08-01&to=2026-10-31';
    expect((await server.fetch(bad)).status).toBe(400);
    expect((await server.fetch(bad)).headers.get('x-cache')).not.toBe('hit');
    expect((await server.fetch('api/session', {}, 'analyst')).headers.get('x-cache')).toBeNull();
  });
});
