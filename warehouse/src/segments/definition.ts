import { z } from 'zod';
import type { FilterExpr } from '../metrics/contract.ts';
import { FilterExprSchema, formatQueryIssues, whereBoundsErrors } from '../metrics/query.ts';

/**
 * A segment: a named filter tree over the columns of marts.customer_360. The tree is the MetricsQuery `where`
 * (same shape, operators, bounds and messages); in a segment a condition's `dimension` names a customer_360 column.
 */
export interface SegmentDefinition {
  name: string;
  description?: string;
  where: FilterExpr;
}

export interface Segment extends SegmentDefinition {
  /** Built-in ids are slugs (`rfm-champions`, `tier-gold`); saved segments have numeric ids. */
  id: string;
  kind: 'rfm' | 'frequency' | 'clv_tier' | 'advocacy' | 'saved';
  created_by?: string;
  created_at?: string;
}

export const SegmentDefinitionSchema = z.strictObject({
  name: z.string().trim().min(1, 'a segment needs a name').max(100),
  description: z.string().max(1000).optional(),
  where: FilterExprSchema,
});

export type ParsedSegment = { success: true; data: SegmentDefinition } | { success: false; message: string };

/** Validates a definition's shape and size (names and value types are checked against the table in filter.ts). */
export function parseSegmentDefinition(input: unknown): ParsedSegment {
  const where = input && typeof input === 'object' ? (input as { where?: unknown }).where : undefined;
  if (where !== undefined) {
    const errors = whereBoundsErrors(where);
    if (errors.length) return { success: false, message: errors.map((e) => `where: ${e}`).join('; ') };
  }
  const parsed = SegmentDefinitionSchema.safeParse(input);
  if (parsed.success) return { success: true, data: parsed.data };
  return { success: false, message: formatQueryIssues(parsed.error.issues, input) };
}
