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

// Customers and segments (api/API.md: GET /api/customers*, /api/segments*). PII fields arrive masked for every
// role but admin; the dashboard shows what the API answers.

export const CUSTOMER_SORTS = [
  'customer_id', 'full_name', 'city', 'country', 'created_at', 'orders', 'revenue', 'last_order_date', 'recency_days',
  'historical_clv', 'predicted_clv_12m', 'p_alive', 'mentions', 'tickets',
] as const;
export type CustomerSort = (typeof CUSTOMER_SORTS)[number];

export interface CustomerListItem {
  customer_id: string;
  full_name: string | null;
  email: string | null;
  phone: string | null;
  city: string | null;
  country: string | null;
  marketing_consent: boolean | null;
  orders: number | null;
  revenue: number | null;
  last_order_date: string | null;
  rfm_segment: string | null;
  frequency_segment: string | null;
  clv_tier: string | null;
  historical_clv: number | null;
  predicted_clv_12m: number | null;
  p_alive: number | null;
  advocacy_role: string | null;
}

export interface Page<T> {
  total: number;
  limit: number;
  offset: number;
  items: T[];
}

export interface CustomerList extends Page<CustomerListItem> {
  sort: CustomerSort;
  desc: boolean;
}

export interface CustomerQuery {
  q?: string;
  sort?: CustomerSort;
  desc?: boolean;
  limit?: number;
  offset?: number;
}

export type TimelineKind = 'order' | 'mention' | 'ticket';

export interface TimelineItem {
  kind: TimelineKind;
  id: string;
  at: string;
  channel: string | null;
  order?: { kind: string; status: string | null; gross_revenue: number | null; returns: number | null; net_revenue: number | null; line_count: number | null; campaign_id: string | null; store_id: string | null };
  mention?: { brand: string | null; is_own_brand: boolean | null; text: string | null; sentiment_label: string | null; sentiment_score: number | null; engagement: number | null; reach: number | null; url: string | null; profile_id: string | null };
  ticket?: { status: string | null; priority: string | null; first_response_minutes: number | null; resolution_minutes: number | null; resolved_at: string | null; csat: number | null };
}

export interface Timeline extends Page<TimelineItem> {
  counts: Record<TimelineKind, number>;
}

export interface SocialProfile {
  profile_id: string;
  network: string;
  method: string | null;
  confidence: number | null;
  handle: string | null;
  display_name: string | null;
  followers: number | null;
  role: string | null;
  mentions: number | null;
  own_brand_mentions: number | null;
  net_sentiment: number | null;
  last_mention_at: string | null;
}

export interface SegmentRef {
  id: string;
  name: string;
  kind: SegmentKind;
}

export interface Customer360 {
  customer_id: string;
  person_id: string;
  profile: {
    first_name: string | null; last_name: string | null; full_name: string | null; email: string | null; phone: string | null;
    loyalty_id: string | null; gender: string | null; birth_date: string | null; city: string | null; region: string | null;
    country: string | null; created_at: string | null; tenure_days: number | null;
  };
  consent: { marketing_consent: boolean | null; consent_updated_at: string | null };
  purchases: {
    orders: number | null; revenue: number | null; returns: number | null; aov: number | null; first_order_date: string | null;
    last_order_date: string | null; recency_days: number | null; orders_12m: number | null; interests: string[] | null;
  };
  rfm: { r_score: number | null; f_score: number | null; m_score: number | null; rfm_segment: string | null; frequency_segment: string | null; seasonal_peak_month: number | null };
  clv: { historical: number | null; predicted_12m: number | null; p_alive: number | null; tier: string | null };
  segments: SegmentRef[];
  social: {
    linked_profiles: number | null; networks: string[] | null; social_followers: number | null; mentions: number | null;
    own_brand_mentions: number | null; net_sentiment: number | null; advocacy_role: string | null; profiles: SocialProfile[];
  };
  service: { tickets: number | null; open_tickets: number | null; csat_avg: number | null };
  timeline: Timeline;
}

export type SegmentKind = 'rfm' | 'frequency' | 'clv_tier' | 'advocacy' | 'saved';

export interface SegmentInfo {
  id: string;
  kind: SegmentKind;
  name: string;
  description: string | null;
  definition: { where: FilterExpr } & Record<string, unknown>;
  customers: number | null;
  consented: number | null;
}

export interface RfmCell {
  r_score: number;
  f_score: number;
  rfm_segment: string;
  customers: number;
  consented: number;
  revenue: number;
}

export interface SegmentList {
  segments: SegmentInfo[];
  rfm_grid: RfmCell[];
}

export interface SegmentDetail extends SegmentInfo {
  revenue: number;
  historical_clv: number;
  avg_predicted_clv_12m: number | null;
}

export interface SegmentMembers extends Page<CustomerListItem> {
  segment: string;
}

export const EXPORT_FORMATS = ['csv', 'xlsx', 'parquet'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const query = (params: Record<string, string | number | boolean | undefined>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
};

export const getCustomers = (q: CustomerQuery, signal?: AbortSignal) =>
  getJson<CustomerList>(`/api/customers${query({ q: q.q, sort: q.sort, desc: q.desc || undefined, limit: q.limit, offset: q.offset })}`, signal);

export const getCustomer = (id: string, page: { limit?: number; offset?: number }, signal?: AbortSignal) =>
  getJson<Customer360>(`/api/customers/${encodeURIComponent(id)}${query(page)}`, signal);

export const getSegments = (signal?: AbortSignal) => getJson<SegmentList>('/api/segments', signal);

export const getSegment = (id: string, signal?: AbortSignal) => getJson<SegmentDetail>(`/api/segments/${encodeURIComponent(id)}`, signal);

export const getSegmentMembers = (id: string, page: { limit?: number; offset?: number }, signal?: AbortSignal) =>
  getJson<SegmentMembers>(`/api/segments/${encodeURIComponent(id)}/members${query(page)}`, signal);

/** The download address of a segment export (the session cookie authorises a plain link). */
export const segmentExportUrl = (id: string, format: ExportFormat) => `/api/segments/${encodeURIComponent(id)}/export?format=${format}`;
