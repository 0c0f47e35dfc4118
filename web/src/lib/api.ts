// Typed client for the HTTP API contract (api/API.md). Same origin: the API serves this app,
// and the dev server proxies /api to it.

// The MetricsQuery contract is the API's own type (plain TypeScript, no runtime code): a request the
// dashboard builds is exactly what POST /api/metrics/query validates.
import type {
  Comparison,
  FilterExpr,
  Grain as ContractGrain,
  MeasureFormat,
  MetricsQueryInput,
  SortKey,
} from '../../../warehouse/src/metrics/contract';

export type { Comparison, FilterExpr, MeasureFormat, SortKey };

let onUnauthorized = () => {};
/** What to do when the API answers 401 (the layout shows the sign-in screen). */
export function whenUnauthorized(fn: () => void): void {
  onUnauthorized = fn;
}
/** The grains the dashboard offers (the API also has quarter and year). */
export type Grain = Extract<ContractGrain, 'day' | 'week' | 'month'>;

export interface Health {
  status: 'ok' | string;
  db: string;
  build: { id: number; finished_at: string; as_of: string } | null;
}

export interface BrandInfo {
  brand: string;
  is_own: boolean;
}

export interface MeasureInfo {
  name: string;
  label: string;
  format: MeasureFormat;
  description: string;
  view?: string;
}

export interface DimensionInfo {
  name: string;
  label: string;
  views: string[];
}

export interface Meta {
  brands: BrandInfo[];
  networks: string[];
  dataRange: { min: string; max: string };
  measures: MeasureInfo[];
  dimensions: DimensionInfo[];
}

export type MetricsQuery = MetricsQueryInput;

/** One row: `period` (with a grain), dimension values (with dimensions) and one value per measure. */
export type MetricsRow = Record<string, string | number | null>;

export interface MetricsResponse {
  timeRange: { start: string; end: string };
  comparisonRange?: { start: string; end: string } | null;
  grain?: Grain | null;
  comparison?: Comparison;
  measures: (MeasureInfo & { unappliedFilters?: string[] })[];
  totals?: Record<string, number | null>;
  comparisonTotals?: Record<string, number | null> | null;
  /** With `dimensions`: the totals per dimension value. */
  totalsByDimension?: MetricsRow[];
  comparisonTotalsByDimension?: MetricsRow[] | null;
  rows: MetricsRow[];
  comparisonRows?: MetricsRow[] | null;
}

/** An error answered by the API (`{ error: { status, message } }`) or a failed request. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The query-string form of a MetricsQuery (GET /api/metrics): for links, and as a stable key of the query. */
export function metricsSearchParams(q: MetricsQuery): URLSearchParams {
  const p = new URLSearchParams();
  p.set('measures', q.measures.join(','));
  p.set('from', q.timeRange.start);
  p.set('to', q.timeRange.end);
  if (q.grain) p.set('grain', q.grain);
  if (q.dimensions?.length) p.set('dimensions', q.dimensions.join(','));
  for (const [dimension, values] of Object.entries(q.filters ?? {})) if (values.length) p.set(dimension, values.join(','));
  if (q.where) p.set('where', JSON.stringify(q.where));
  if (q.sort?.length) p.set('sort', q.sort.map((s) => (s.desc ? '-' : '') + s.field).join(','));
  if (q.comparison) p.set('comparison', q.comparison);
  if (q.limit !== undefined) p.set('limit', String(q.limit));
  return p;
}

async function getJson<T>(path: string, signal?: AbortSignal, init?: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { ...init, signal, headers: { accept: 'application/json', ...init?.headers } });
  } catch (e) {
    if (signal?.aborted) throw e;
    throw new ApiError('The API could not be reached. Is the server running?', 0);
  }
  const body: unknown = await res.json().catch(() => null);
  if (res.status === 401) onUnauthorized();
  if (!res.ok) {
    const err = (body as { error?: { message?: string; details?: unknown } } | null)?.error;
    throw new ApiError(err?.message ?? `${res.status} ${res.statusText}`, res.status, err?.details);
  }
  if (body === null) throw new ApiError('The API answered with something that is not JSON.', res.status);
  return body as T;
}

export const getHealth = (signal?: AbortSignal) => getJson<Health>('/api/health', signal);

export const getMeta = (signal?: AbortSignal) => getJson<Meta>('/api/meta', signal);

export const getMetrics = (q: MetricsQuery, signal?: AbortSignal) =>
  getJson<MetricsResponse>('/api/metrics/query', signal, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(q),
  });
