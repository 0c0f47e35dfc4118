import { z } from 'zod';

/**
 * The MetricsQuery contract: one shape for every dashboard and API metrics request (after Rill's
 * metricsview query): measures × dimensions over a time range, at a grain, filtered, with a comparison.
 */
const Identifier = z.string().regex(/^[a-z_][a-z0-9_]*$/, 'must be a lower-case identifier');
export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(s + 'T00:00:00Z')) && new Date(s + 'T00:00:00Z').toISOString().startsWith(s), 'is not a real date');

export const GRAINS = ['day', 'week', 'month'] as const;
export type Grain = (typeof GRAINS)[number];

export const MetricsQuerySchema = z.object({
  measures: z.array(Identifier).min(1, 'ask for at least one measure').max(20),
  dimensions: z.array(Identifier).max(3).default([]),
  timeRange: z
    .object({ start: IsoDate, end: IsoDate })
    .refine((r) => r.start <= r.end, 'timeRange.start must not be after timeRange.end')
    .refine((r) => daysBetween(r.start, r.end) <= 3660, 'timeRange may span at most 10 years'),
  grain: z.enum(GRAINS).optional(),
  /** dimension → allowed values (values OR-ed, dimensions AND-ed). */
  filters: z.record(Identifier, z.array(z.string().max(200)).min(1).max(100)).default({}),
  comparison: z.enum(['previous_period', 'none']).default('previous_period'),
  limit: z.number().int().min(1).max(10000).default(5000),
});

export type MetricsQuery = z.output<typeof MetricsQuerySchema>;
export type MetricsQueryInput = z.input<typeof MetricsQuerySchema>;

export interface DateRange {
  start: string;
  end: string;
}

export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(b + 'T00:00:00Z') - Date.parse(a + 'T00:00:00Z')) / 86_400_000);
}

export function addDays(d: string, n: number): string {
  return new Date(Date.parse(d + 'T00:00:00Z') + n * 86_400_000).toISOString().slice(0, 10);
}

/** The period of equal length that ends the day before `range` starts. */
export function previousPeriod(range: DateRange): DateRange {
  const len = daysBetween(range.start, range.end) + 1;
  return { start: addDays(range.start, -len), end: addDays(range.start, -1) };
}
