import type { Segment } from './definition.ts';

/**
 * The segments every warehouse has: one per value of the segment columns of marts.customer_segments (as
 * customer_360 carries them) and per advocacy role. The values are those the model docs accept.
 */
const RFM = ['Champions', 'Loyal', 'Potential Loyalist', 'New', 'Promising', 'Need Attention', 'About to Sleep', 'At Risk', "Can't Lose Them", 'Hibernating'];
const FREQUENCY = ['frequent', 'sporadic', 'seasonal', 'one_time', 'lapsed', 'prospect'];
const TIERS = ['platinum', 'gold', 'silver', 'bronze'];
const ROLES = ['ambassador', 'influencer', 'detractor'];

export const slug = (s: string) => s.toLowerCase().replace(/'/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
const label = (s: string) => s[0].toUpperCase() + s.slice(1).replace(/_/g, '-');

const of = (kind: Segment['kind'], prefix: string, column: string, values: string[], name: (v: string) => string): Segment[] =>
  values.map((v) => ({ id: `${prefix}-${slug(v)}`, kind, name: name(v), where: { dimension: column, op: 'eq', value: v } }));

export const BUILTIN_SEGMENTS: readonly Segment[] = [
  ...of('rfm', 'rfm', 'rfm_segment', RFM, (v) => `RFM: ${v}`),
  ...of('frequency', 'frequency', 'frequency_segment', FREQUENCY, (v) => `Purchase frequency: ${label(v)}`),
  ...of('clv_tier', 'tier', 'clv_tier', TIERS, (v) => `CLV tier: ${label(v)}`),
  ...of('advocacy', 'role', 'advocacy_role', ROLES, (v) => `Social: ${label(v)}s`),
];

export const builtinSegment = (id: string) => BUILTIN_SEGMENTS.find((s) => s.id === id);
