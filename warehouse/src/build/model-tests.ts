import { ident } from '../db/duckdb.ts';
import type { Model } from './models.ts';

/** The SQL of every test a model declares: each query returns failing rows (count > 0 = failure). Pure. */
export interface ModelTest {
  model: string;
  name: string;
  sql: string;
}

export function modelTests(m: Model): ModelTest[] {
  const t = m.tests;
  const out: ModelTest[] = [];
  for (const u of t.unique) {
    const cols = (Array.isArray(u) ? u : [u]).map(ident).join(', ');
    out.push({ model: m.name, name: `unique(${Array.isArray(u) ? u.join(', ') : u})`, sql: `SELECT ${cols} FROM ${m.name} GROUP BY ALL HAVING count(*) > 1` });
  }
  for (const c of t.not_null) out.push({ model: m.name, name: `not_null(${c})`, sql: `SELECT * FROM ${m.name} WHERE ${ident(c)} IS NULL` });
  for (const [c, values] of Object.entries(t.accepted_values)) {
    const list = values.map((v) => (typeof v === 'string' ? `'${v.replaceAll("'", "''")}'` : String(v))).join(', ');
    out.push({ model: m.name, name: `accepted_values(${c})`, sql: `SELECT * FROM ${m.name} WHERE ${ident(c)} IS NOT NULL AND ${ident(c)} NOT IN (${list})` });
  }
  for (const r of t.relationships) {
    out.push({
      model: m.name,
      name: `relationships(${r.column} → ${r.to}.${r.field})`,
      sql: `SELECT a.* FROM ${m.name} a ANTI JOIN ${r.to} b ON a.${ident(r.column)} = b.${ident(r.field)} WHERE a.${ident(r.column)} IS NOT NULL`,
    });
  }
  for (const n of t.no_rows) out.push({ model: m.name, name: n.name, sql: n.sql });
  return out;
}
