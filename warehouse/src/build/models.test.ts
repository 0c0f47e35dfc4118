import { describe, expect, it } from 'vitest';
import { parseModel, renderSql, selectModels, topoSort, type Model } from './models.ts';

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
});
