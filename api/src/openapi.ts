import { z } from 'zod';
import { COMPARISONS, FILTER_OPS, GRAINS, MetricsQuerySchema } from '@scrm/warehouse';
import { SqlRequest } from './routes/sql.ts';
import { customerApiPaths } from './openapi-customers.ts';

/** The OpenAPI 3.1 document; request schemas come from the same zod schemas the routes validate with. */
const error = { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
const json = (description: string, schema: object = { type: 'object' }) => ({ description, content: { 'application/json': { schema } } });

const EVERYONE = ['executive', 'analyst', 'marketing', 'admin'];
/**
 * The roles each route admits, as the routes' `allow(...)` enforce them; published per operation as `x-roles`.
 * tests/integration/api-roles.test.ts checks every documented operation against the running server, so this
 * table and the routes cannot drift apart. An operation missing here fails the document (and the tests).
 */
const ROLES_BY_OPERATION: Record<string, string[]> = {
  'GET /api/session': EVERYONE,
  'GET /api/meta': EVERYONE,
  'GET /api/metrics': EVERYONE,
  'POST /api/metrics/query': EVERYONE,
  'GET /api/models': EVERYONE,
  'GET /api/models/{name}': EVERYONE,
  'GET /api/loads': ['analyst', 'admin'],
  'GET /api/quarantine/summary': ['analyst', 'admin'],
  'GET /api/identity/review': ['analyst', 'admin'],
  'POST /api/identity/review': ['admin'],
  'GET /api/jobs': ['admin'],
  'POST /api/jobs': ['admin'],
  'GET /api/jobs/{id}': ['admin'],
  'POST /api/sql': ['analyst', 'admin'],
  'GET /api/sql/schema': ['analyst', 'admin'],
  'GET /api/overview': EVERYONE,
  'GET /api/social/share-of-voice': EVERYONE,
  'GET /api/social/authors': EVERYONE,
  'GET /api/customers': ['analyst', 'marketing', 'admin'],
  'GET /api/customers/{id}': ['analyst', 'marketing', 'admin'],
  'GET /api/segments': EVERYONE,
  'POST /api/segments': ['marketing', 'admin'],
  'GET /api/segments/{id}': EVERYONE,
  'DELETE /api/segments/{id}': ['marketing', 'admin'],
  'GET /api/segments/{id}/members': ['analyst', 'marketing', 'admin'],
  'GET /api/segments/{id}/export': ['marketing', 'admin'],
};

export function openApiDocument() {
  const doc = document();
  for (const [path, ops] of Object.entries(doc.paths) as [string, Record<string, { security?: unknown[]; 'x-roles'?: string[] }>][]) {
    for (const [method, op] of Object.entries(ops)) {
      if (Array.isArray(op.security) && op.security.length === 0) continue; // open to everyone
      const roles = ROLES_BY_OPERATION[`${method.toUpperCase()} ${path}`];
      if (!roles) throw new Error(`openapi: no roles declared for ${method.toUpperCase()} ${path}`);
      op['x-roles'] = roles;
    }
  }
  return doc;
}

function document() {
  const { schema: metricsQuery, defs } = componentSchema(z.toJSONSchema(MetricsQuerySchema, { io: 'input', unrepresentable: 'any' }));
  const qs = (name: string, description: string, required = false, schema: object = { type: 'string' }) => ({ name, in: 'query', required, description, schema });
  return {
    openapi: '3.1.0',
    info: {
      title: 'Social CRM warehouse API',
      version: '0.1.0',
      description:
        'Aggregated metrics over the marts of the Social CRM warehouse. Errors are JSON `{ error: { status, message } }`. ' +
        'Every route but health, openapi.json and session needs a token of a role (executive, analyst, marketing, admin): ' +
        '`Authorization: Bearer <token>`, or the session cookie of POST /api/session. No token or an unknown one: 401; a route outside the role: 403. ' +
        'Personal data (names, e-mail, phone, birth date) is masked for every role but admin.',
    },
    security: [{ bearer: [] }, { session: [] }],
    paths: {
      '/api/health': { get: { summary: 'Liveness and the latest successful build', security: [], responses: { 200: json('Server is up') } } },
      '/api/session': {
        get: { summary: 'Who is signed in: { role, name }', responses: { 200: json('The principal'), 401: error } },
        post: {
          summary: 'Sign in: a token (or, on a demo server, a role) becomes an HTTP-only session cookie',
          security: [],
          requestBody: { required: true, content: { 'application/json': { schema: { oneOf: [{ type: 'object', required: ['token'], properties: { token: { type: 'string' } } }, { type: 'object', required: ['role'], properties: { role: { type: 'string', enum: ['executive', 'analyst', 'marketing', 'admin'] } } }] } } } },
          responses: { 200: json('Signed in: { role, name }'), 400: error, 401: error, 403: error },
        },
        delete: { summary: 'Sign out (clears the cookie)', security: [], responses: { 204: { description: 'Signed out' } } },
      },
      '/api/session/options': { get: { summary: 'Sign-in options and who is signed in: { demo, roles, principal | null }', security: [], responses: { 200: json('Options') } } },
      '/api/meta': {
        get: { summary: 'Brands, networks, data date range, measures and dimensions', responses: { 200: json('Metadata'), 503: error } },
      },
      '/api/metrics': {
        get: {
          summary: 'Without parameters: the metric views (dimensions, measures, default grain). With them: run a MetricsQuery given as query-string parameters',
          parameters: [
            qs('measures', 'Comma-separated measure names, e.g. revenue,orders,share_of_voice (required to run a query)'),
            qs('from', 'First day, YYYY-MM-DD (required to run a query)', false, { type: 'string', format: 'date' }),
            qs('to', 'Last day (inclusive), YYYY-MM-DD (required to run a query)', false, { type: 'string', format: 'date' }),
            qs('grain', "Time grain of rows; without it the first measure's view's default grain; none: totals only", false, { type: 'string', enum: [...GRAINS, 'none'] }),
            qs('dimensions', 'Comma-separated dimensions to group by, e.g. brand'),
            qs('comparison', 'previous_period (default), previous_year or none', false, { type: 'string', enum: [...COMPARISONS] }),
            qs('sort', 'Comma-separated measures, dimensions or period; a leading - sorts descending, e.g. -revenue,channel'),
            qs('where', `A JSON filter tree (see MetricsQuery.where); operators: ${FILTER_OPS.join(', ')}`),
            qs('limit', 'Most rows (1–10000, default 5000)', false, { type: 'integer' }),
            qs('brand', 'Filter: comma-separated brands (any other parameter filters the dimension of its name)'),
            qs('network', 'Filter: comma-separated networks'),
          ],
          responses: {
            200: json('The metric views (no parameters), or the metrics result', {
              oneOf: [{ $ref: '#/components/schemas/MetricsCatalog' }, { $ref: '#/components/schemas/MetricsResult' }],
            }),
            400: error,
            503: error,
          },
        },
      },
      '/api/metrics/query': {
        post: {
          summary: 'Run a MetricsQuery given as a JSON body',
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/MetricsQuery' } } } },
          responses: { 200: json('Metrics result', { $ref: '#/components/schemas/MetricsResult' }), 400: error, 503: error },
        },
      },
      '/api/loads': {
        get: {
          summary: 'Recent loads with rows read / loaded / updated / duplicate / quarantined / orphan per file',
          parameters: [qs('limit', 'How many loads, newest first (1–500, default 50)', false, { type: 'integer' })],
          responses: { 200: json('Load audit') },
        },
      },
      '/api/quarantine/summary': {
        get: { summary: 'Quarantined rows counted per source and reason (reason without the offending value)', responses: { 200: json('Quarantine summary') } },
      },
      '/api/models': {
        get: {
          summary: 'The models and marts: description, materialisation, columns (type, doc), lineage, tests, rows and freshness',
          parameters: [qs('layer', 'Only this layer', false, { type: 'string', enum: ['staging', 'intermediate', 'marts'] })],
          responses: { 200: json('Models in dependency order', { type: 'object', properties: { models: { type: 'array', items: { $ref: '#/components/schemas/ModelDoc' } } } }), 400: error },
        },
      },
      '/api/models/{name}': {
        get: {
          summary: 'One model, by full name (marts.orders) or bare name (orders)',
          parameters: [{ name: 'name', in: 'path', required: true, description: 'marts.orders or orders', schema: { type: 'string' } }],
          responses: { 200: json('The model', { $ref: '#/components/schemas/ModelDoc' }), 404: error },
        },
      },
      '/api/sql': {
        post: {
          summary: 'SQL console (analyst, admin): one read-only SELECT over marts.*; PII masked for analysts; see API.md for what is refused and the limits',
          requestBody: { required: true, content: { 'application/json': { schema: z.toJSONSchema(SqlRequest, { io: 'input' }) } } },
          responses: {
            200: {
              description: 'format json: { columns: [{name, type}], rows: [[…]], row_count, truncated, truncated_by, elapsed_ms, build_id }; csv: text/csv; arrow: an Arrow IPC stream',
              content: { 'application/json': { schema: { type: 'object' } }, 'text/csv': { schema: { type: 'string' } }, 'application/vnd.apache.arrow.stream': { schema: { type: 'string', format: 'binary' } } },
            },
            400: error, 401: error, 403: error,
            422: { ...error, description: 'Cancelled at the statement timeout, or out of memory' },
            429: { ...error, description: 'Every console slot is busy' },
          },
        },
      },
      '/api/sql/schema': {
        get: { summary: 'SQL console (analyst, admin): the marts with their columns, types and docs, for autocomplete', responses: { 200: json('{ schema: "marts", tables: [{ name, table, description, columns: [{ name, type, doc }], rows }] }'), 401: error, 403: error } },
      },
      '/api/identity/review': {
        get: {
          summary: 'Probabilistic identity matches waiting for a reviewer (marts.identity_review_queue), most probable first',
          parameters: [qs('limit', '1..1000, default 50', false, { type: 'integer' }), qs('offset', 'default 0', false, { type: 'integer' })],
          responses: { 200: json('{ total, items: [{ profile_id, customer_id, network, display_name, handle, customer_name, city, match_probability, reason }] }'), 400: error },
        },
        post: {
          summary: 'Record a decision on a profile–customer pair (accept links it, reject never links it); takes effect on the next build; needs the token in <db>.server.json',
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['profile_id', 'customer_id', 'decision'],
                  properties: { profile_id: { type: 'string' }, customer_id: { type: 'string' }, decision: { type: 'string', enum: ['accept', 'reject'] }, decided_by: { type: 'string' }, note: { type: 'string' } },
                },
              },
            },
          },
          responses: { 201: json('The recorded decision'), 400: error, 401: error, 403: error, 404: error },
        },
      },
      '/api/jobs': {
        post: {
          summary: 'Hand a load or build to the server (used by the CLI); needs the token in <db>.server.json',
          requestBody: { required: true, content: { 'application/json': { schema: { type: 'object' } } } },
          responses: { 202: json('The queued job'), 400: error, 401: error, 403: error },
        },
        get: { summary: 'Recent jobs', responses: { 200: json('Jobs'), 401: error, 403: error } },
      },
      '/api/jobs/{id}': { get: { summary: 'One job with its log and progress', responses: { 200: json('Job'), 404: error, 401: error, 403: error } } },
      '/api/openapi.json': { get: { summary: 'This document', security: [], responses: { 200: json('OpenAPI 3.1') } } },
      ...customerApiPaths(),
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'A token of <db>.tokens.json (or the file given to `scrm serve --tokens`)' },
        session: { type: 'apiKey', in: 'cookie', name: 'scrm_session' },
      },
      schemas: {
        MetricsQuery: metricsQuery,
        ...defs,
        MetricsCatalog: {
          type: 'object',
          properties: {
            views: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  name: { type: 'string' },
                  label: { type: 'string' },
                  table: { type: 'string' },
                  timeColumn: { type: 'string' },
                  defaultGrain: { type: ['string', 'null'], enum: [...GRAINS, null] },
                  focus: { type: ['object', 'null'], properties: { dimension: { type: 'string' } } },
                  dimensions: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, label: { type: 'string' }, type: { type: 'string' } } } },
                  measures: {
                    type: 'array',
                    items: {
                      type: 'object',
                      properties: {
                        name: { type: 'string' },
                        label: { type: 'string' },
                        format: { type: 'string' },
                        description: { type: 'string' },
                        kind: { type: 'string', enum: ['aggregate', 'share'] },
                      },
                    },
                  },
                },
              },
            },
            grains: { type: 'array', items: { type: 'string' } },
            comparisons: { type: 'array', items: { type: 'string' } },
            operators: { type: 'array', items: { type: 'string' } },
            limits: { type: 'object' },
          },
        },
        MetricsResult: {
          type: 'object',
          properties: {
            timeRange: { type: 'object', properties: { start: { type: 'string' }, end: { type: 'string' } } },
            comparison: { type: 'string', enum: [...COMPARISONS] },
            comparisonRange: { type: ['object', 'null'] },
            grain: { type: ['string', 'null'] },
            measures: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  name: { type: 'string' },
                  label: { type: 'string' },
                  format: { type: 'string' },
                  description: { type: 'string' },
                  view: { type: 'string' },
                  unappliedFilters: { type: 'array', items: { type: 'string' }, description: 'Dimensions of filter conditions that do not apply to this measure' },
                },
              },
            },
            totals: { type: ['object', 'null'], additionalProperties: { type: ['number', 'null'] } },
            comparisonTotals: { type: ['object', 'null'] },
            totalsByDimension: { type: 'array', items: { type: 'object' } },
            comparisonTotalsByDimension: { type: 'array', items: { type: 'object' } },
            rows: { type: 'array', items: { type: 'object' } },
            comparisonRows: { type: ['array', 'null'], items: { type: 'object' } },
          },
        },
        ModelDoc: {
          type: 'object',
          required: ['name', 'layer', 'description', 'materialized', 'columns', 'lineage', 'tests', 'built', 'rows', 'freshness'],
          properties: {
            name: { type: 'string', description: '<layer>.<name>, e.g. marts.orders' },
            layer: { type: 'string', enum: ['staging', 'intermediate', 'marts'] },
            description: { type: 'string' },
            materialized: { type: 'string', enum: ['table', 'view', 'incremental'] },
            unique_key: { type: ['array', 'null'], items: { type: 'string' }, description: 'Incremental models: the key rows are replaced by' },
            file: { type: 'string' },
            columns: {
              type: 'array',
              items: {
                type: 'object',
                properties: { name: { type: 'string' }, type: { type: ['string', 'null'], description: 'DuckDB type; null until built' }, doc: { type: ['string', 'null'] } },
              },
            },
            lineage: {
              type: 'object',
              properties: {
                depends_on: { type: 'array', items: { type: 'string' } },
                used_by: { type: 'array', items: { type: 'string' } },
                raw_sources: { type: 'array', items: { type: 'string' }, description: 'raw.* tables read directly or upstream' },
              },
            },
            tests: { type: 'array', items: { type: 'string' } },
            built: { type: 'boolean' },
            rows: { type: ['integer', 'null'], description: 'Rows of a table; null for views and models not built' },
            freshness: {
              type: ['object', 'null'],
              description: 'The last successful build that ran the model',
              properties: { build_id: { type: 'integer' }, finished_at: { type: 'string' }, as_of: { type: 'string', format: 'date' }, mode: { type: ['string', 'null'], enum: ['full', 'incremental', null] } },
            },
          },
        },
        Error: {
          type: 'object',
          properties: { error: { type: 'object', properties: { status: { type: 'integer' }, message: { type: 'string' } }, required: ['status', 'message'] } },
        },
      },
    },
  };
}

/**
 * zod puts a recursive schema (the filter tree) under the document's own `$defs`; inside an OpenAPI
 * document those references must point at components instead.
 */
function componentSchema(doc: Record<string, unknown>): { schema: Record<string, unknown>; defs: Record<string, unknown> } {
  const { $schema: _, $defs = {}, ...schema } = doc as { $schema?: string; $defs?: Record<string, unknown> };
  const names = new Map(Object.keys($defs).map((k) => [k, k]));
  const fix = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(fix);
    if (v === null || typeof v !== 'object') return v;
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => [k, k === '$ref' && typeof x === 'string' && x.startsWith('#/$defs/') ? `#/components/schemas/${names.get(x.slice(8)) ?? x.slice(8)}` : fix(x)]),
    );
  };
  return { schema: fix(schema) as Record<string, unknown>, defs: Object.fromEntries(Object.entries($defs).map(([k, x]) => [names.get(k)!, fix(x)])) };
}
