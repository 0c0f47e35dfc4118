import { describe, expect, it } from 'vitest';
import { modelLineage, parseModel, renderSql, selectModels, topoSort, type Model } from './models.ts';

const model = (name: string, sql: string, layer: Model['layer'] = 'marts') =>
  parseModel(`${name}.sql`, `/*---\ndescription: ${name}\n---*/\n${sql}`, layer);

describe('models', () => {
  it('reads dependencies and raw sources from the SQL, ignoring comments', () => {
    const m = model('kpi', 'SELECT * FROM marts.orders o JOIN staging.stg_x USING (id) -- marts.not_a_dep\nJOIN raw.orders r USING (id)');
    expect(m.name).toBe('marts.kpi');
    expect(m.dependsOn).toEqual(['marts.orders', 'staging.stg_x']);
    expect(m.sources).toEqual(['raw.orders']);
    expect(m.materialized).toBe('table');
  });

  it('requires a header with a description', () => {
    expect(() => parseModel('x.sql', 'SELECT 1', 'marts')).toThrowError(/starts with a \/\*--- YAML header/);
    expect(() => parseModel('x.sql', '/*---\nmaterialized: view\n---*/\nSELECT 1', 'marts')).toThrowError(/description/);
  });

  it('orders models after their dependencies and reports cycles and unknown refs', () => {
    const a = model('a', 'SELECT * FROM staging.b');
    const b = model('b', 'SELECT * FROM raw.orders', 'staging');
    const c = model('c', 'SELECT * FROM marts.a');
    expect(topoSort([c, a, b]).map((m) => m.name)).toEqual(['staging.b', 'marts.a', 'marts.c']);
    expect(() => topoSort([model('x', 'SELECT * FROM marts.y'), model('y', 'SELECT * FROM marts.x')])).toThrowError(/cycle: marts.x → marts.y → marts.x/);
    expect(() => topoSort([model('x', 'SELECT * FROM marts.nope')])).toThrowError(/refers to marts.nope, which is no model/);
  });

  it('selects a model with its downstream (a+) or upstream (+a)', () => {
    const sorted = topoSort([model('b', 'SELECT 1', 'staging'), model('a', 'SELECT * FROM staging.b'), model('c', 'SELECT * FROM marts.a'), model('d', 'SELECT 2')]);
    expect(selectModels(sorted, 'a+').map((m) => m.name)).toEqual(['marts.a', 'marts.c']);
    expect(selectModels(sorted, '+a').map((m) => m.name)).toEqual(['staging.b', 'marts.a']);
    expect(selectModels(sorted, 'd').map((m) => m.name)).toEqual(['marts.d']);
    expect(() => selectModels(sorted, 'zzz+')).toThrowError(/no model named zzz/);
  });

  it('renders the as-of date as a DATE literal and refuses unknown variables', () => {
    expect(renderSql('WHERE d <= {{ as_of }}', { asOf: '2026-11-01' })).toBe("WHERE d <= DATE '2026-11-01'");
    expect(() => renderSql('{{ as_of }}', { asOf: "2026-11-01'; DROP" })).toThrowError(/YYYY-MM-DD/);
    expect(() => renderSql('{{ nope }}', { asOf: '2026-11-01' })).toThrowError(/unknown build variable/);
  });

  it("renders project variables as literals and refuses undefined ones", () => {
    const vars = { lapsed_days: 270, label: "it's" };
    expect(renderSql("WHERE r > {{ var('lapsed_days') }} AND l = {{ var('label') }}", { asOf: '2026-11-01', vars })).toBe("WHERE r > 270 AND l = 'it''s'");
    expect(() => renderSql("{{ var('nope') }}", { asOf: '2026-11-01', vars })).toThrowError(/unknown project variable nope/);
  });

  it('renders new_rows and if_incremental as true on a full build and as the watermark filter on an incremental one', () => {
    const sql = 'SELECT * FROM raw.orders o WHERE {{ new_rows(o._load_id) }} AND {{ if_incremental(o.id IN (SELECT id FROM x)) }} AND d <= {{as_of}}';
    expect(renderSql(sql, { asOf: '2026-11-01' })).toBe("SELECT * FROM raw.orders o WHERE true AND true AND d <= DATE '2026-11-01'");
    expect(renderSql(sql, { asOf: '2026-11-01', watermark: 42 })).toBe(
      "SELECT * FROM raw.orders o WHERE (o._load_id) > 42 AND (o.id IN (SELECT id FROM x)) AND d <= DATE '2026-11-01'",
    );
    expect(() => renderSql('{{ new_rows() }}', { asOf: '2026-11-01' })).toThrowError(/unknown build variable/);
    expect(() => renderSql('{{ new_rows(x) }}', { asOf: '2026-11-01', watermark: 1.5 })).toThrowError(/whole number/);
  });

  it('reads incremental headers: unique_key as a list, new_rows required, the placeholders only in incremental models', () => {
    const header = (h: string, sql: string) => parseModel('m.sql', `/*---\ndescription: m\n${h}\n---*/\n${sql}`, 'marts');
    const inc = header('materialized: incremental\nunique_key: order_id', 'SELECT * FROM raw.orders WHERE {{ new_rows(_load_id) }}');
    expect(inc).toMatchObject({ materialized: 'incremental', unique_key: ['order_id'], usesAsOf: false, sources: ['raw.orders'] });
    expect(header('materialized: incremental\nunique_key: [a, b]', 'SELECT 1 WHERE {{ new_rows(x) }} AND d < {{ as_of }}')).toMatchObject({ unique_key: ['a', 'b'], usesAsOf: true });
    expect(() => header('materialized: incremental', 'SELECT 1 WHERE {{ new_rows(x) }}')).toThrowError(/incremental model needs a unique_key/);
    expect(() => header('unique_key: a', 'SELECT 1')).toThrowError(/unique_key is for incremental models only/);
    expect(() => header('materialized: incremental\nunique_key: a', 'SELECT 1')).toThrowError(/picks its new rows with \{\{ new_rows/);
    expect(() => header('', 'SELECT 1 WHERE {{ new_rows(x) }}')).toThrowError(/belong in incremental models/);
    expect(() => header('', 'SELECT {{ nope }}')).toThrowError(/unknown build variable \{\{ nope \}\}/);
  });

  it('hashes the file, and a lineage fingerprint changes when anything upstream changes', () => {
    const b1 = model('b', 'SELECT * FROM raw.orders', 'staging');
    const b2 = model('b', 'SELECT *, 1 AS x FROM raw.orders', 'staging');
    const a = model('a', 'SELECT * FROM staging.b JOIN raw.customers USING (id) WHERE d <= {{ as_of }}');
    const c = model('c', 'SELECT * FROM marts.a');
    const one = modelLineage(topoSort([b1, a, c]));
    const two = modelLineage(topoSort([b2, a, c]));
    expect(b1.hash).not.toBe(b2.hash);
    expect(one.get('marts.c')!.fingerprint).not.toBe(two.get('marts.c')!.fingerprint);
    expect(one.get('marts.a')!.fingerprint).toBe(modelLineage(topoSort([b1, a])).get('marts.a')!.fingerprint);
    expect(one.get('marts.c')).toMatchObject({ usesAsOf: true, rawSources: ['raw.customers', 'raw.orders'], usedBy: [] });
    expect(one.get('staging.b')).toMatchObject({ usesAsOf: false, usedBy: ['marts.a'] });
  });
});
