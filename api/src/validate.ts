import type { z } from 'zod';
import { HttpError, zodMessage } from './errors.ts';

/** A request's query string through a zod schema: the parsed value, or a 400 saying what is wrong. */
export function parseQuery<S extends z.ZodType>(schema: S, query: Record<string, string>): z.output<S> {
  const parsed = schema.safeParse(query);
  if (!parsed.success) throw new HttpError(400, zodMessage(parsed.error));
  return parsed.data;
}
