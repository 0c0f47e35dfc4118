import { z } from 'zod';
import { FILTER_OPS } from '@scrm/warehouse';
import { SegmentDefinitionSchema } from '@scrm/warehouse/segments/definition';
import { CONSENT_RULE } from '@scrm/warehouse/segments/export';
import { CUSTOMER_SORTS } from './routes/customers.ts';
import { EXPORT_FORMATS } from './export/formats.ts';
import { AUTHOR_ROLES } from './routes/social.ts';

/** The OpenAPI paths of the overview, social, customer and segment routes (merged into openapi.ts). */
const error = { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
const json = (description: string) => ({ description, content: { 'application/json': { schema: { type: 'object' } } } });
const qs = (name: string, description: string, required = false, schema: object = { type: 'string' }) => ({ name, in: 'query', required, description, schema });
const path = (name: string, description: string) => ({ name, in: 'path', required: true, description, schema: { type: 'string' } });
const range = [qs('from', 'First day, YYYY-MM-DD', true, { type: 'string', format: 'date' }), qs('to', 'Last day (inclusive), YYYY-MM-DD', true, { type: 'string', format: 'date' })];
const page = (max: number, def: number) => [qs('limit', `1..${max}, default ${def}`, false, { type: 'integer' }), qs('offset', 'default 0', false, { type: 'integer' })];
const roles = (r: string) => ` Roles: ${r}.`;

export function customerApiPaths() {
  const { $schema: _, ...segmentSchema } = z.toJSONSchema(SegmentDefinitionSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  // The filter tree is the MetricsQuery one, documented once as a component.
  const segmentBody = { ...segmentSchema, properties: { ...(segmentSchema.properties as object), where: { $ref: '#/components/schemas/FilterExpr' } } };
  delete (segmentBody as { $defs?: unknown }).$defs;
  return {
    '/api/overview': {
      get: {
        summary:
          'The KPI overview of a range (revenue, orders, active and repeat customers, AOV, average CLV, share of voice, net sentiment, mentions, median first response, campaign ROI), each with the previous period (as many days right before) and the change.' +
          roles('every role'),
        parameters: range,
        responses: { 200: json('{ timeRange, comparisonRange, kpis: [{ name, label, format, description, value, previous, change, changeRatio }] }'), 400: error, 503: error },
      },
    },
    '/api/social/share-of-voice': {
      get: {
        summary: 'Share of voice, share of engagement and sentiment counts per brand over a range.' + roles('every role'),
        parameters: range,
        responses: { 200: json('{ timeRange, brands: [{ brand, is_own, mentions, share_of_voice, share_of_engagement, positive, neutral, negative, net_sentiment }] }'), 400: error },
      },
    },
    '/api/social/authors': {
      get: {
        summary: 'Influencers, ambassadors and detractors (marts.social_authors), most valuable linked customer first; names and handles of linked customers masked but for admins.' + roles('every role'),
        parameters: [qs('role', 'Only this role', false, { type: 'string', enum: [...AUTHOR_ROLES] }), ...page(500, 50)],
        responses: { 200: json('{ total, limit, offset, role, items: [{ profile_id, network, handle, display_name, followers, …, role, person_id, customer_name, clv, clv_tier, clv_rank }] }'), 400: error },
      },
    },
    '/api/customers': {
      get: {
        summary: 'Search customers (marts.customer_360) by id prefix, name, e-mail or city; sorted, paginated, with the total. PII masked but for admins.' + roles('analyst, marketing, admin'),
        parameters: [
          qs('q', 'Text to look for (case-insensitive)'),
          qs('sort', 'Column to sort by (default customer_id)', false, { type: 'string', enum: [...CUSTOMER_SORTS] }),
          qs('desc', 'true: descending', false, { type: 'boolean' }),
          ...page(500, 50),
        ],
        responses: { 200: json('{ total, limit, offset, sort, desc, items }'), 400: error, 403: error },
      },
    },
    '/api/customers/{id}': {
      get: {
        summary:
          "One customer's 360: profile, consent, purchases, RFM, CLV (historical, predictive 12-month, P(alive), tier), segments, linked social profiles, service, and one timeline of orders, mentions and tickets, newest first (limit / offset page the timeline). PII masked but for admins." +
          roles('analyst, marketing, admin'),
        parameters: [path('id', 'customer_id'), ...page(500, 100)],
        responses: { 200: json('The customer 360'), 400: error, 403: error, 404: error },
      },
    },
    '/api/segments': {
      get: { summary: 'Built-in (RFM, purchase frequency, CLV tier, advocacy role) and saved segments with their definition, members and consented members.' + roles('every role'), responses: { 200: json('{ segments: [{ id, kind, name, description, definition, customers, consented }], rfm_grid: [{ r_score, f_score, rfm_segment, customers, consented, revenue }] }') } },
      post: {
        summary: `Save a segment: a name and a filter tree whose conditions name columns of marts.customer_360 (operators: ${FILTER_OPS.join(', ')}).` + roles('marketing, admin'),
        requestBody: { required: true, content: { 'application/json': { schema: segmentBody } } },
        responses: { 201: json('The saved segment with its counts'), 400: error, 403: error },
      },
    },
    '/api/segments/{id}': {
      get: { summary: 'One segment: definition, members, consented members, revenue and CLV.' + roles('every role'), parameters: [path('id', 'e.g. rfm-champions, tier-gold, or a saved segment id')], responses: { 200: json('The segment'), 404: error, 409: error } },
      delete: { summary: 'Delete a saved segment (built-in ones cannot be).' + roles('marketing, admin'), parameters: [path('id', 'A saved segment id')], responses: { 200: json('{ deleted }'), 400: error, 403: error, 404: error } },
    },
    '/api/segments/{id}/members': {
      get: { summary: 'Members of a segment by customer_id, paginated; PII masked but for admins.' + roles('analyst, marketing, admin'), parameters: [path('id', 'Segment id'), ...page(500, 50)], responses: { 200: json('{ segment, total, limit, offset, items }'), 400: error, 403: error, 404: error } },
    },
    '/api/segments/{id}/export': {
      get: {
        summary: `Download a segment's members for a campaign, streamed. Only customers with ${CONSENT_RULE} (stated in the X-Export-Consent header); PII in clear. Each export is appended to meta.export_audit (who, when, definition, format, rows, sha256 of the bytes sent).` + roles('marketing, admin'),
        parameters: [path('id', 'Segment id'), qs('format', 'File format', true, { type: 'string', enum: [...EXPORT_FORMATS] })],
        responses: {
          200: {
            description: 'The file (CSV, XLSX, Parquet or Arrow IPC stream)',
            headers: { 'X-Export-Consent': { schema: { type: 'string' }, description: `only customers with ${CONSENT_RULE}` }, 'X-Export-Rows': { schema: { type: 'integer' } } },
            content: Object.fromEntries(['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/vnd.apache.parquet', 'application/vnd.apache.arrow.stream'].map((t) => [t, { schema: { type: 'string', format: 'binary' } }])),
          },
          400: error,
          403: error,
          404: error,
          413: error,
        },
      },
    },
  };
}
