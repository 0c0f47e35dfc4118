import type { Context, MiddlewareHandler } from 'hono';
import { signedIn } from './auth.ts';
import { withRequestSignal } from './pool.ts';

/**
 * Answers of read routes, cached per (data version, role, request) and shared while in flight.
 *
 * - The data version moves whenever the data may change: a load or build job finishing, or any successful
 *   request that writes (POST/PUT/DELETE other than the query routes). A new build therefore invalidates
 *   exactly: nothing is served from before it, everything after it is cached again on first use.
 * - Identical concurrent requests share one execution; its queries are cancelled only when every client
 *   waiting for it has gone (the pool interrupts DuckDB on the shared abort signal).
 * - Only JSON answers up to `maxEntryBytes` are kept, in a least-recently-used map bounded by `maxBytes`;
 *   streamed exports and per-session routes are never cached. Answers say `x-cache: hit | shared | miss`.
 */
interface Cached {
  status: number;
  headers: [string, string][];
  body: Uint8Array<ArrayBuffer>;
}

const NEVER = [/^\/api\/health$/, /^\/api\/session/, /^\/api\/jobs/, /\/export/];
const QUERY_POSTS = new Set(['/api/metrics/query', '/api/sql']);

export class ResponseCache {
  private version = 0;
  private entries = new Map<string, Cached>();
  private bytes = 0;
  private inflight = new Map<string, { result: Promise<Cached | null>; waiters: number; controller: AbortController }>();

  constructor(private readonly maxBytes = 128 << 20, private readonly maxEntryBytes = 4 << 20) {}

  /** The data may have changed: forget every answer. */
  invalidate(): void {
    this.version++;
    this.entries.clear();
    this.bytes = 0;
  }

  middleware(): MiddlewareHandler {
    return async (c, next) => {
      const path = c.req.path;
      const method = c.req.method;
      const cacheable = (method === 'GET' || (method === 'POST' && QUERY_POSTS.has(path))) && !NEVER.some((r) => r.test(path));
      if (!cacheable) {
        await next();
        if (method !== 'GET' && method !== 'HEAD' && !QUERY_POSTS.has(path) && c.res.status < 400) this.invalidate();
        return;
      }
      const p = signedIn(c);
      const body = method === 'POST' ? await c.req.text() : '';
      const key = [this.version, p?.role ?? '-', method, c.req.url.replace(/^[^/]*\/\/[^/]*/, ''), c.req.header('accept') ?? '', body].join('\u0000');

      const hit = this.entries.get(key);
      if (hit) {
        this.entries.delete(key); // most recently used goes last
        this.entries.set(key, hit);
        return respond(hit, 'hit');
      }
      const running = this.inflight.get(key);
      if (running) {
        running.waiters++;
        const onAbort = () => --running.waiters === 0 && running.controller.abort();
        c.req.raw.signal.addEventListener('abort', onAbort, { once: true });
        const shared = await running.result.finally(() => c.req.raw.signal.removeEventListener('abort', onAbort));
        if (shared) {
          return respond(shared, 'shared');
        }
        // The first request's answer was not cacheable (an error, too big): answer this one by itself.
        await withRequestSignal(c.req.raw.signal, next);
        return;
      }

      const controller = new AbortController();
      const entry = { result: undefined as unknown as Promise<Cached | null>, waiters: 1, controller };
      const onAbort = () => --entry.waiters === 0 && controller.abort();
      c.req.raw.signal.addEventListener('abort', onAbort, { once: true });
      entry.result = (async () => {
        try {
          await withRequestSignal(controller.signal, next);
          return await this.capture(c, key);
        } catch {
          return null;
        } finally {
          this.inflight.delete(key);
          c.req.raw.signal.removeEventListener('abort', onAbort);
        }
      })();
      this.inflight.set(key, entry);
      // next() has set c.res (capture put the bytes it read back); an answer kept for others says so.
      if (await entry.result) c.header('x-cache', 'miss');
    };
  }

  /** Keeps a 200 JSON answer of this version; gives the bytes back either way (c.res is consumed). */
  private async capture(c: Context, key: string): Promise<Cached | null> {
    const res = c.res;
    const type = res.headers.get('content-type') ?? '';
    if (res.status !== 200 || !type.startsWith('application/json')) return null;
    const body = new Uint8Array(await res.arrayBuffer());
    const cached: Cached = { status: res.status, headers: [...res.headers.entries()], body };
    c.res = new Response(body, { status: res.status, headers: res.headers });
    if (body.byteLength <= this.maxEntryBytes && key.startsWith(`${this.version}\u0000`)) {
      this.entries.set(key, cached);
      this.bytes += body.byteLength;
      for (const [k, v] of this.entries) {
        if (this.bytes <= this.maxBytes) break;
        this.entries.delete(k);
        this.bytes -= v.body.byteLength;
      }
    }
    return cached;
  }
}

function respond(cached: Cached, how: 'hit' | 'shared' | 'miss'): Response {
  const headers = new Headers(cached.headers);
  headers.set('x-cache', how);
  return new Response(cached.body, { status: cached.status, headers });
}
