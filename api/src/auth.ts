import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { z } from 'zod';
import { HttpError, zodMessage } from './errors.ts';

/**
 * Who may do what. Every request carries a token (`Authorization: Bearer …`, or the dashboard's session
 * cookie); the token names a role. Routes declare the roles they admit with `allow(...)`; no token is a 401,
 * a token of another role a 403. Personal data (e-mail, phone, names) is shown in clear to admins only.
 */
export const ROLES = ['executive', 'analyst', 'marketing', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  role: Role;
  name: string;
}

/** Everyone signed in. */
export const ANY_ROLE: readonly Role[] = ROLES;

export const SESSION_COOKIE = 'scrm_session';

const TokenFileSchema = z.object({
  tokens: z
    .array(z.object({ token: z.string().min(16, 'a token needs at least 16 characters'), role: z.enum(ROLES), name: z.string().min(1).max(100) }))
    .min(1),
});
export type TokenFile = z.infer<typeof TokenFileSchema>;

/** The tokens a server accepts. */
export class TokenBook {
  private readonly entries: { token: Buffer; principal: Principal }[];

  constructor(tokens: TokenFile['tokens']) {
    this.entries = tokens.map((t) => ({ token: Buffer.from(t.token), principal: { role: t.role, name: t.name } }));
  }

  lookup(token: string | undefined): Principal | null {
    if (!token) return null;
    const given = Buffer.from(token);
    // Compare against every entry in constant time per entry, so timing tells nothing about near misses.
    let found: Principal | null = null;
    for (const e of this.entries) if (e.token.length === given.length && timingSafeEqual(e.token, given)) found = e.principal;
    return found;
  }

  /** A token of that role, for the demo's sign-in buttons. */
  tokenFor(role: Role): string | null {
    const e = this.entries.find((x) => x.principal.role === role);
    return e ? e.token.toString() : null;
  }
}

export const tokensPath = (dbPath: string) => `${dbPath}.tokens.json`;

/**
 * Reads the token file; when there is none, writes one with a fresh token per role (readable by this user
 * only) and says so. `created` tells the caller to print them.
 */
export function loadTokenFile(path: string): { tokens: TokenFile['tokens']; created: boolean } {
  if (!existsSync(path)) {
    const tokens = ROLES.map((role) => ({ token: randomBytes(18).toString('base64url'), role, name: `${role} (demo)` }));
    writeFileSync(path, JSON.stringify({ tokens }, null, 2) + '\n', { mode: 0o600 });
    return { tokens, created: true };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`the token file ${path} is not JSON: ${(e as Error).message}`);
  }
  const parsed = TokenFileSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`the token file ${path} is invalid (${zodMessage(parsed.error)}); expected {"tokens":[{"token","role","name"}]}`);
  return { tokens: parsed.data.tokens, created: false };
}

function bearer(c: Context): string | undefined {
  const header = c.req.header('authorization');
  if (header) return /^Bearer\s+(\S+)$/i.exec(header)?.[1] ?? header;
  return getCookie(c, SESSION_COOKIE);
}

/** Puts the request's principal (or null) in `c.var.principal`; refuses nothing by itself. */
export function authenticate(book: TokenBook): MiddlewareHandler<{ Variables: { principal: Principal | null } }> {
  return async (c, next) => {
    c.set('principal', book.lookup(bearer(c)));
    await next();
  };
}

/** Who sent the request, if anyone signed in. */
export const signedIn = (c: Context): Principal | null => (c.get('principal') as Principal | null | undefined) ?? null;

/** The principal of a request that passed `allow`. */
export function principalOf(c: Context): Principal {
  const p = signedIn(c);
  if (!p) throw new HttpError(401, 'sign in first: send Authorization: Bearer <token> (the tokens are in <db>.tokens.json)');
  return p;
}

/** Admits the given roles only: 401 without a valid token, 403 for other roles. */
export function allow(roles: readonly Role[], what: string): MiddlewareHandler {
  return async (c, next) => {
    const p = principalOf(c);
    if (!roles.includes(p.role)) throw new HttpError(403, `${what} is for ${roles.join(', ')}; you are signed in as ${p.role}`);
    await next();
  };
}

/** Whether this principal sees personal data in clear. */
export const seesPii = (p: Principal) => p.role === 'admin';
