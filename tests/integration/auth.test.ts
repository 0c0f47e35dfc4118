import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copySmallDb, startScrmServer, TEST_TOKENS } from '../setup/server.ts';

/** Tokens, roles and the dashboard's session cookie on a real `scrm serve`. */
let server: Awaited<ReturnType<typeof startScrmServer>>;

beforeAll(async () => {
  server = await startScrmServer(copySmallDb());
});
afterAll(() => server?.stop());

const status = async (path: string, headers: Record<string, string> = {}) => (await fetch(new URL(path, server.url), { headers })).status;

describe('auth', () => {
  it('leaves health, the OpenAPI document and sign-in options open', async () => {
    expect(await status('api/health')).toBe(200);
    expect(await status('api/openapi.json')).toBe(200);
    expect(await (await fetch(new URL('api/session/options', server.url))).json()).toEqual({ demo: false, roles: ['executive', 'analyst', 'marketing', 'admin'], principal: null });
    const signedIn = await fetch(new URL('api/session/options', server.url), { headers: { authorization: `Bearer ${TEST_TOKENS.analyst}` } });
    expect((await signedIn.json()).principal).toEqual({ role: 'analyst', name: 'test analyst' });
  });

  it('answers 401 without a token or with an unknown one, with a message saying how to sign in', async () => {
    const res = await fetch(new URL('api/meta', server.url));
    expect(res.status).toBe(401);
    expect((await res.json()).error.message).toMatch(/Authorization: Bearer/);
    expect(await status('api/meta', { authorization: 'Bearer not-a-token-at-all' })).toBe(401);
    expect(await status('api/nothing-here')).toBe(401);
  });

  it('answers 403 outside the role and 200 inside it', async () => {
    const bearer = (role: keyof typeof TEST_TOKENS) => ({ authorization: `Bearer ${TEST_TOKENS[role]}` });
    expect(await status('api/meta', bearer('executive'))).toBe(200);
    const res = await fetch(new URL('api/loads', server.url), { headers: bearer('executive') });
    expect(res.status).toBe(403);
    expect((await res.json()).error.message).toBe('the load audit is for analyst, admin; you are signed in as executive');
    expect(await status('api/loads', bearer('analyst'))).toBe(200);
    expect(await status('api/jobs', bearer('analyst'))).toBe(403);
    expect(await status('api/jobs', bearer('admin'))).toBe(200);
  });

  it('turns a token into an HTTP-only session cookie, and signs out', async () => {
    const bad = await fetch(new URL('api/session', server.url), { method: 'POST', body: JSON.stringify({ token: 'wrong-token-wrong-token' }) });
    expect(bad.status).toBe(401);
    const byRole = await fetch(new URL('api/session', server.url), { method: 'POST', body: JSON.stringify({ role: 'admin' }) });
    expect(byRole.status).toBe(403); // role-only sign-in is for demo servers
    const res = await fetch(new URL('api/session', server.url), { method: 'POST', body: JSON.stringify({ token: TEST_TOKENS.marketing }) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ role: 'marketing', name: 'test marketing' });
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^scrm_session=[^;]+;.*HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const me = await fetch(new URL('api/session', server.url), { headers: { cookie: cookie.split(';')[0] } });
    expect(await me.json()).toEqual({ role: 'marketing', name: 'test marketing' });
    const out = await fetch(new URL('api/session', server.url), { method: 'DELETE' });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/scrm_session=;/);
  });
});
