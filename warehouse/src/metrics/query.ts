import { z } from 'zod';
import {
  COMPARE_OPS,
  COMPARISONS,
  GRAINS,
  NULL_OPS,
  PATTERN_OPS,
  QUERY_LIMITS as L,
  SET_OPS,
  type Comparison,
  type DateRange,
  type FilterExpr,
  type MetricsQueryInput as ContractInput,
} from './contract.ts';

export { GRAINS, COMPARISONS, type Grain, type Comparison, type DateRange, type FilterExpr, type FilterCondition, type SortKey } from './contract.ts';

/**
 * The MetricsQuery contract: one shape for every dashboard and API metrics request (after Rill's
 * metricsview query): measures × dimensions over a time range, at a grain, filtered by a condition
 * tree, sorted, with a comparison period. The plain types live in contract.ts (shared with the web);
 * this schema validates them and is checked against them below.
 */
const Identifier = z.string().regex(/^[a-z_][a-z0-9_]*$/, 'must be a lower-case identifier');
export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(s + 'T00:00:00Z')) && new Date(s + 'T00:00:00Z').toISOString().startsWith(s), 'is not a real date');

const Text = z.string().max(L.valueLength);
const Value = z.union([Text, z.number(), z.boolean()], { error: 'must be a string, a number or a boolean' });

const ConditionSchema = z.discriminatedUnion('op', [
  z.strictObject({ dimension: Identifier, op: z.enum(COMPARE_OPS), value: Value }),
  z.strictObject({ dimension: Identifier, op: z.enum(PATTERN_OPS), value: Text }),
  z.strictObject({ dimension: Identifier, op: z.enum(SET_OPS), values: z.array(Value).min(1).max(L.values) }),
  z.strictObject({ dimension: Identifier, op: z.enum(NULL_OPS) }),
]);

/** Branch order matters to formatQueryIssues: and, or, not, condition. */
export const FilterExprSchema: z.ZodType<FilterExpr, FilterExpr> = z.lazy(() =>
  z.union([
    z.strictObject({ and: z.array(FilterExprSchema).min(1) }),
    z.strictObject({ or: z.array(FilterExprSchema).min(1) }),
    z.strictObject({ not: FilterExprSchema }),
    ConditionSchema,
  ]),
).meta({ id: 'FilterExpr', description: 'and / or / not over conditions on declared dimensions' });

export const MetricsQuerySchema = z
  .object({
    measures: z.array(Identifier).min(1, 'ask for at least one measure').max(L.measures),
    dimensions: z.array(Identifier).max(L.dimensions).default([]),
    timeRange: z
      .object({ start: IsoDate, end: IsoDate })
      .refine((r) => r.start <= r.end, 'timeRange.start must not be after timeRange.end')
      .refine((r) => daysBetween(r.start, r.end) <= L.rangeDays, 'timeRange may span at most 10 years'),
    /** Omitted: the default grain of the first measure's view; `none`: totals only. */
    grain: z.enum([...GRAINS, 'none']).optional(),
    /** Shorthand: dimension → allowed values (values OR-ed, dimensions AND-ed, AND-ed with `where`). */
    filters: z.record(Identifier, z.array(Text).min(1).max(L.values)).default({}),
    where: FilterExprSchema.optional(),
    comparison: z.enum(COMPARISONS).default('previous_period'),
    sort: z.array(z.strictObject({ field: Identifier, desc: z.boolean().optional() })).max(L.sort).default([]),
    limit: z.number().int().min(1).max(L.rows).default(L.defaultRows),
  })
  .superRefine((q, ctx) => {
    if (q.where) for (const message of whereBoundsErrors(q.where)) ctx.addIssue({ code: 'custom', path: ['where'], message });
  });

export type MetricsQuery = z.output<typeof MetricsQuerySchema>;
export type MetricsQueryInput = z.input<typeof MetricsQuerySchema>;

// The schema accepts exactly the contract's request type (a compile error here means they drifted apart).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const contractMatches: Same<MetricsQueryInput, ContractInput> = true;
void contractMatches;

/** Size of a filter tree, counted without recursion so that absurdly deep input cannot overflow the stack. */
export function whereShape(input: unknown): { depth: number; nodes: number; values: number } {
  let depth = 0, nodes = 0, values = 0;
  const stack: [unknown, number][] = [[input, 1]];
  while (stack.length) {
    const [node, d] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    nodes++;
    depth = Math.max(depth, d);
    if (nodes > L.whereNodes || depth > L.whereDepth) break;
    const o = node as Record<string, unknown>;
    if (Array.isArray(o.values)) values += o.values.length;
    for (const k of ['and', 'or'] as const) if (Array.isArray(o[k])) for (const c of o[k] as unknown[]) stack.push([c, d + 1]);
    if ('not' in o) stack.push([o.not, d + 1]);
  }
  return { depth, nodes, values };
}

export function whereBoundsErrors(input: unknown): string[] {
  const s = whereShape(input);
  const out: string[] = [];
  if (s.depth > L.whereDepth) out.push(`nests and / or / not more than ${L.whereDepth} levels deep`);
  if (s.nodes > L.whereNodes) out.push(`has more than ${L.whereNodes} conditions and groups`);
  if (s.values > L.whereValues) out.push(`has ${s.values} values; at most ${L.whereValues}`);
  return out;
}

export type ParsedMetricsQuery = { success: true; data: MetricsQuery } | { success: false; message: string };

/** Validates a request, with one readable message for everything that is wrong with it. */
export function parseMetricsQuery(input: unknown): ParsedMetricsQuery {
  const where = input && typeof input === 'object' ? (input as { where?: unknown }).where : undefined;
  if (where !== undefined) {
    const errors = whereBoundsErrors(where);
    if (errors.length) return { success: false, message: errors.map((e) => `where: ${e}`).join('; ') };
  }
  const parsed = MetricsQuerySchema.safeParse(input);
  if (parsed.success) return { success: true, data: parsed.data };
  return { success: false, message: formatQueryIssues(parsed.error.issues, input) };
}

type Issue = z.core.$ZodIssue;
const CONDITION_HELP = 'a condition is {"and": [...]}, {"or": [...]}, {"not": {...}} or {"dimension", "op", "value" or "values"}';

/**
 * Zod reports a failed union as every branch's failures; a filter tree would read as a wall of them.
 * For each union, this follows the branch the input meant (by its keys) and reports only that one.
 */
export function formatQueryIssues(issues: readonly Issue[], input: unknown): string {
  const lines: string[] = [];
  const walk = (list: readonly Issue[], prefix: PropertyKey[]) => {
    for (const issue of list) {
      const path = [...prefix, ...issue.path];
      if (issue.code === 'invalid_union' && issue.errors.length === 4) {
        const node = valueAt(input, path);
        if (node === null || typeof node !== 'object' || Array.isArray(node)) {
          lines.push(`${formatPath(path)}: ${CONDITION_HELP}`);
          continue;
        }
        const branch = 'and' in node ? 0 : 'or' in node ? 1 : 'not' in node ? 2 : 3;
        if (branch === 3 && !('dimension' in node) && !('op' in node)) {
          lines.push(`${formatPath(path)}: ${CONDITION_HELP}`);
          continue;
        }
        walk(issue.errors[branch], path);
      } else if (issue.code === 'invalid_union' && 'discriminator' in issue) {
        lines.push(`${formatPath(path)}: must be one of ${((issue as { options?: unknown[] }).options ?? []).join(', ')}`);
      } else {
        lines.push(`${formatPath(path)}: ${issue.message}`);
      }
    }
  };
  walk(issues, []);
  return [...new Set(lines)].join('; ');
}

function valueAt(root: unknown, path: PropertyKey[]): unknown {
  let v = root;
  for (const k of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const k of path) out += typeof k === 'number' ? `[${k}]` : `${out ? '.' : ''}${String(k)}`;
  return out || 'request';
}

export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(b + 'T00:00:00Z') - Date.parse(a + 'T00:00:00Z')) / 86_400_000);
}

export function addDays(d: string, n: number): string {
  return new Date(Date.parse(d + 'T00:00:00Z') + n * 86_400_000).toISOString().slice(0, 10);
}

/** The same day `n` years later (earlier for negative n); 29 February becomes the 28th in other years. */
export function addYears(d: string, n: number): string {
  const [y, m, day] = d.split('-').map(Number);
  const lastDay = new Date(Date.UTC(y + n, m, 0)).getUTCDate();
  return `${String(y + n).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(day, lastDay)).padStart(2, '0')}`;
}

/** The period of equal length that ends the day before `range` starts. */
export function previousPeriod(range: DateRange): DateRange {
  const len = daysBetween(range.start, range.end) + 1;
  return { start: addDays(range.start, -len), end: addDays(range.start, -1) };
}

/** The same dates one year earlier. */
export function previousYear(range: DateRange): DateRange {
  return { start: addYears(range.start, -1), end: addYears(range.end, -1) };
}

export function comparisonRange(comparison: Comparison, range: DateRange): DateRange | null {
  if (comparison === 'previous_period') return previousPeriod(range);
  if (comparison === 'previous_year') return previousYear(range);
  return null;
}
