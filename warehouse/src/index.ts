export { Database, Connection, ident, literal, type Row } from './db/duckdb.ts';
export { ensureSchema } from './db/schema.ts';
export { ENTITIES, ENTITY_NAMES, entity } from './entities.ts';
export { readSpec, parseSpecText, SpecError, type Spec, type Source } from './load/spec.ts';
export { loadSpec, loadSource, type LoadResult, type LoadEvent } from './load/loader.ts';
export { runBuild, latestBuild, describeRun, BuildError, type BuildResult, type BuildEvent, type ModelRun } from './build/runner.ts';
export { discoverModels, topoSort } from './build/models.ts';
export { describeModels, type ModelDoc } from './build/docs.ts';
export { loadCatalog, parseCatalog, describeCatalog, type MetricCatalog } from './metrics/definitions.ts';
export {
  MetricsQuerySchema,
  parseMetricsQuery,
  previousPeriod,
  previousYear,
  comparisonRange,
  GRAINS,
  COMPARISONS,
  type MetricsQuery,
  type MetricsQueryInput,
} from './metrics/query.ts';
export { FILTER_OPS, QUERY_LIMITS, type FilterExpr, type SortKey, type MetricsCatalogInfo } from './metrics/contract.ts';
export { runMetricsQuery, type MetricsResult } from './metrics/run.ts';
export { compileViewQuery, planQuery, MetricsQueryError, type QueryPlan } from './metrics/compile.ts';
export { runDemo, type DemoResult } from './demo.ts';
export * from './paths.ts';
