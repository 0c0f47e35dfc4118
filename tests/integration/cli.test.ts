import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '@scrm/warehouse';
import { copySmallDb } from '../setup/server.ts';

/** The scrm command line: output and exit codes that scripts can trust. */
const scrm = (...args: string[]) => {
  const r = spawnSync(join(REPO_ROOT, 'node_modules/.bin/tsx'), [join(REPO_ROOT, 'warehouse/src/cli/main.ts'), ...args], { encoding: 'utf8', cwd: REPO_ROOT });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('scrm CLI', () => {
  const db = copySmallDb();

  it('sql prints JSON and CSV', () => {
    const json = scrm('sql', '--db', db, '--format', 'json', 'SELECT brand, is_own FROM raw.brands ORDER BY brand');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out)).toEqual([
      { brand: 'Faro', is_own: false },
      { brand: 'Marea', is_own: true },
      { brand: 'Oliva', is_own: false },
      { brand: 'Sendero', is_own: false },
    ]);
    const csv = scrm('sql', '--db', db, '--format', 'csv', 'SELECT 1 AS a, \'x,y\' AS b');
    expect(csv.out).toBe('a,b\n1,"x,y"\n');
  });

  it('status lists tables, loads and the last build', () => {
    const r = scrm('status', '--db', db);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/marts\.kpi_daily/);
    expect(r.out).toMatch(/shop_order_lines\s+loaded/);
    expect(r.out).toMatch(/Last builds[\s\S]*ok\s+2026-11-01/);
  });

  it('load <entity> <file> infers the format and mapping and prints the mapping it used', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scrm-quick-'));
    writeFileSync(join(dir, 'clientes.csv'), 'Customer ID;E-mail;Apellidos;Nombre;Fecha alta;Color favorito\n1;ana@x.com;García;Ana;2024-01-02 10:00;azul\n');
    const r = scrm('load', '--db', join(dir, 'w.duckdb'), 'customers', join(dir, 'clientes.csv'));
    expect(r.code).toBe(0);
    expect(r.out).toContain('customers_clientes mapping: customer_id ← Customer ID, email ← E-mail, first_name ← Nombre, last_name ← Apellidos, created_at ← Fecha alta; extra: Color favorito');
    const rows = scrm('sql', '--db', join(dir, 'w.duckdb'), '--format', 'json', 'SELECT customer_id, last_name, created_at, extra FROM raw.customers');
    expect(JSON.parse(rows.out)).toEqual([{ customer_id: '1', last_name: 'García', created_at: '2024-01-02T10:00:00.000Z', extra: '{"Color favorito":"azul"}' }]);
    expect(scrm('load', '--db', join(dir, 'w.duckdb'), 'clients', join(dir, 'clientes.csv')).err).toMatch(/"clients" is not an entity/);
  });

  it('exits 2 on usage errors and 1 when the work fails, with a message', () => {
    expect(scrm('frobnicate').code).toBe(2);
    expect(scrm('demo', '--scale', 'huge').err).toMatch(/--scale must be small, default or large/);
    const bad = scrm('sql', '--db', db, 'SELECT * FROM no_such_table');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/no_such_table/);
    const missing = scrm('load', '--db', db, '/nonexistent/spec.yaml');
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/Cannot read source spec \/nonexistent\/spec\.yaml: ENOENT/);
    expect(scrm('build', '--db', db, '--as-of', 'yesterday').code).toBe(2);
  });
});
