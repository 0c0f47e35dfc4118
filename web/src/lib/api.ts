// Typed client for the HTTP API contract (api/API.md). Same origin: the API serves this app,
// and the dev server proxies /api to it.

export type MeasureFormat = 'currency' | 'integer' | 'number' | 'percent' | 'signed_ratio';
export type Grain = 'day' | 'week' | 'month';
export type Comparison = 'previous_period' | 'none';

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

export interface MetricsQuery {
  measures: string[];
  from: string;
  to: string;
  grain?: Grain;
  dimensions?: string[];
  brand?: string[];
  network?: string[];
  comparison?: Comparison;
}

/** One row: `period` (with a grain), dimension values (with dimensions) and one value per measure. */
export type MetricsRow = Record<string, string | number | null>;

export interface MetricsResponse {
  timeRange: { start: string; end: string };
  comparisonRange?: { start: string; end: string } | null;
  grain?: Grain | null;
  measures: MeasureInfo[];
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

export function metricsSearchParams(q: MetricsQuery): URLSearchParams {
  const p = new URLSearchParams();
  p.set('measures', q.measures.join(','));
  p.set('from', q.from);
  p.set('to', q.to);
  if (q.grain) p.set('grain', q.grain);
  if (q.dimensions?.length) p.set('dimensions', q.dimensions.join(','));
  if (q.brand?.length) p.set('brand', q.brand.join(','));
  if (q.network?.length) p.set('network', q.network.join(','));
  if (q.comparison) p.set('comparison', q.comparison);
  return p;
}

async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { signal, headers: { accept: 'application/json' } });
  } catch (e) {
    if (signal?.aborted) throw e;
    throw new ApiError('The API could not be reached. Is the server running?', 0);
  }
  const body: unknown = await res.json().catch(() => null);
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
  getJson<MetricsResponse>(`/api/metrics?${metricsSearchParams(q)}`, signal);
