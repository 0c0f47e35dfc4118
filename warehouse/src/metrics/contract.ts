/**
 * The MetricsQuery contract as plain TypeScript: what the API accepts and answers, shared by the API (which
 * validates it with the zod schema in query.ts, checked against these types) and the dashboard (which imports
 * these types only). No imports, so any TypeScript project can use this file as it is.
 */

export const GRAINS = ['day', 'week', 'month', 'quarter', 'year'] as const;
export type Grain = (typeof GRAINS)[number];

/** `previous_period`: as many days right before the range; `previous_year`: the same dates one year earlier. */
export const COMPARISONS = ['previous_period', 'previous_year', 'none'] as const;
export type Comparison = (typeof COMPARISONS)[number];

export const MEASURE_FORMATS = ['currency', 'integer', 'number', 'percent', 'signed_ratio'] as const;
export type MeasureFormat = (typeof MEASURE_FORMATS)[number];

export const DIMENSION_TYPES = ['string', 'number', 'boolean'] as const;
export type DimensionType = (typeof DIMENSION_TYPES)[number];

/** Operators of a filter condition, by the operand they take. */
export const COMPARE_OPS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte'] as const;
export const PATTERN_OPS = ['like', 'ilike'] as const;
export const SET_OPS = ['in', 'not_in'] as const;
export const NULL_OPS = ['is_null', 'not_null'] as const;
export const FILTER_OPS = [...COMPARE_OPS, ...PATTERN_OPS, ...SET_OPS, ...NULL_OPS] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

/** Bounds of a query, so that one request cannot ask for unbounded work. */
export const QUERY_LIMITS = {
  measures: 20,
  dimensions: 3,
  /** Nesting of and / or / not in `where` (a single condition has depth 1). */
  whereDepth: 8,
  /** Nodes (and, or, not and conditions) in `where`. */
  whereNodes: 200,
  /** Values of one `in` / `not_in` condition, and of `filters` per dimension. */
  values: 500,
  /** Values in the whole `where`. */
  whereValues: 2000,
  valueLength: 200,
  sort: 8,
  rows: 10000,
  defaultRows: 5000,
  /** Days a time range may span. */
  rangeDays: 3660,
} as const;

export type FilterValue = string | number | boolean;

/**
 * One condition on a declared dimension. Values are always bound as parameters. SQL semantics: no
 * comparison (not even `neq` or `not_in`) matches a NULL dimension value; use `is_null` for those.
 */
export type FilterCondition =
  | { dimension: string; op: (typeof COMPARE_OPS)[number]; value: FilterValue }
  | { dimension: string; op: (typeof PATTERN_OPS)[number]; value: string }
  | { dimension: string; op: (typeof SET_OPS)[number]; values: FilterValue[] }
  | { dimension: string; op: (typeof NULL_OPS)[number] };

export type FilterExpr = { and: FilterExpr[] } | { or: FilterExpr[] } | { not: FilterExpr } | FilterCondition;

/** `field`: a measure or dimension of the query, or `period` (the time bucket, with a grain). */
export interface SortKey {
  field: string;
  desc?: boolean;
}

export interface DateRange {
  start: string;
  end: string;
}

/** A request, as sent to POST /api/metrics/query (optional fields take their defaults). */
export interface MetricsQueryInput {
  measures: string[];
  dimensions?: string[];
  /** Inclusive dates YYYY-MM-DD. */
  timeRange: DateRange;
  /** Without it: the default grain of the first measure's view (or totals only if it has none); `none`: totals only. */
  grain?: Grain | 'none';
  /** Shorthand for `in` conditions AND-ed with `where`: dimension → allowed values. */
  filters?: Record<string, string[]>;
  where?: FilterExpr;
  /** Default `previous_period`. */
  comparison?: Comparison;
  /** Order of `rows` and `totalsByDimension`; ties and the rest by period, then dimensions. */
  sort?: SortKey[];
  /** Most rows of `rows` and of `totalsByDimension` (default 5000, at most 10000). */
  limit?: number;
}

export interface MeasureInfo {
  name: string;
  label: string;
  format: MeasureFormat;
  description: string;
  view: string;
}

export type MetricsRow = Record<string, string | number | boolean | null>;

export interface MetricsResult {
  timeRange: DateRange;
  comparison: Comparison;
  comparisonRange: DateRange | null;
  /** The grain of `rows` (the view's default when the query named none), null for totals only. */
  grain: Grain | null;
  measures: (MeasureInfo & { /** Dimensions of filter conditions that did not apply to this measure's view. */ unappliedFilters: string[] })[];
  totals: MetricsRow | null;
  comparisonTotals: MetricsRow | null;
  totalsByDimension?: MetricsRow[];
  comparisonTotalsByDimension?: MetricsRow[];
  rows: MetricsRow[];
  comparisonRows: MetricsRow[] | null;
}

/** GET /api/metrics: the metric views with what a query may name. */
export interface MetricViewInfo {
  name: string;
  label: string;
  table: string;
  timeColumn: string;
  defaultGrain: Grain | null;
  /** Measures of a view with a focus describe the focus (e.g. our own brand) unless the query filters or groups by it. */
  focus: { dimension: string } | null;
  dimensions: { name: string; label: string; type: DimensionType }[];
  measures: (Omit<MeasureInfo, 'view'> & { kind: 'aggregate' | 'share' })[];
}

export interface MetricsCatalogInfo {
  views: MetricViewInfo[];
  grains: readonly Grain[];
  comparisons: readonly Comparison[];
  operators: readonly FilterOp[];
  limits: typeof QUERY_LIMITS;
}
