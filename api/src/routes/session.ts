import { Hono } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { principalOf, ROLES, SESSION_COOKIE, signedIn } from '../auth.ts';
import type { AppContext } from '../context.ts';
import { HttpError, zodMessage } from '../errors.ts';

/**
 * Sign-in for the dashboard: a token becomes an HTTP-only session cookie, so scripts on the page never hold
 * it. A server started with `--demo` also signs in by role alone (the demo's data is made up).
 */
const SignInSchema = z.union([z.object({ token: z.string().min(1).max(500) }), z.object({ role: z.enum(ROLES) })]);

export function sessionRoutes(ctx: AppContext) {
  return new Hono()
    // Open to all, with whoever is signed in (or null): the dashboard's first question, answered without a 401.
    .get('/session/options', (c) => c.json({ demo: ctx.auth.demo, roles: ROLES, principal: signedIn(c) }))
    .get('/session', (c) => c.json(principalOf(c)))
    .post('/session', async (c) => {
      const body = await c.req.json().catch(() => {
        throw new HttpError(400, 'the body must be JSON: {"token": "…"}');
      });
      const parsed = SignInSchema.safeParse(body);
      if (!parsed.success) throw new HttpError(400, zodMessage(parsed.error));
      let token: string | null;
      if ('token' in parsed.data) token = parsed.data.token;
      else if (ctx.auth.demo) token = ctx.auth.book.tokenFor(parsed.data.role);
      else throw new HttpError(403, 'signing in by role alone works on the demo server only; sign in with a token');
      const principal = ctx.auth.book.lookup(token ?? undefined);
      if (!token || !principal) throw new HttpError(401, 'unknown token');
      setCookie(c, SESSION_COOKIE, token, { httpOnly: true, sameSite: 'Strict', path: '/' });
      return c.json(principal);
    })
    .delete('/session', (c) => {
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.body(null, 204);
    });
}
