export { parseSegmentDefinition, SegmentDefinitionSchema, type Segment, type SegmentDefinition } from './definition.ts';
export { BUILTIN_SEGMENTS, builtinSegment } from './builtin.ts';
export { columnKind, checkSegmentFilter, segmentPredicate, SegmentFilterError, type ColumnKind } from './filter.ts';
export * from './store.ts';
export { CONSENT_RULE, EXPORT_COLUMNS, exportQuery, type ExportType } from './export.ts';
export { appendExportAudit, entryHash, AUDIT_FIELDS, type ExportAuditEntry } from './audit.ts';
