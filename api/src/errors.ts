import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ZodError } from 'zod';

/** Errors are values with a status and a message; every one reaches the client as JSON. */
export class HttpError extends Error {
  constructor(readonly status: ContentfulStatusCode, message: string, readonly details?: unknown) {
    super(message);
  }
}

/** A query failed because the marts were never built: 503 with what to do, instead of a 500. */
export function whenMartsMissing(err: unknown): never {
  if (err instanceof Error && /does not exist/.test(err.message)) {
    throw new HttpError(503, 'no marts yet — run `scrm demo`, or `scrm load` and `scrm build`');
  }
  throw err;
}

export function errorBody(status: number, message: string, details?: unknown) {
  return { error: { status, message, ...(details === undefined ? {} : { details }) } };
}

export function zodMessage(err: ZodError): string {
  return err.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; ');
}

export function onError(err: Error, c: Context) {
  if (err.name === 'RequestCancelled' || err.constructor?.name === 'RequestCancelled') return c.json(errorBody(408, err.message), 408);
  if (err instanceof HttpError) return c.json(errorBody(err.status, err.message, err.details), err.status);
  if (err instanceof ZodError) return c.json(errorBody(400, zodMessage(err)), 400);
  console.error(err);
  return c.json(errorBody(500, 'internal error: ' + err.message.split('\n')[0]), 500);
}
