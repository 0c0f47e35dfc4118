import { describe, expect, it } from 'vitest';
import { connectionString, pgText, qualifiedName, redact, selectSql } from './postgres-sql.ts';

describe('connectionString', () => {
  it('takes the path, or the environment variable named by env:NAME', () => {
    expect(connectionString('s', 'postgres://u:p@h/db', {})).toBe('postgres://u:p@h/db');
    expect(connectionString('s', 'env:SHOP_DB', { SHOP_DB: 'postgresql://u@h:5433/shop' })).toBe('postgresql://u@h:5433/shop');
  });
  it('names the source and the variable when it is missing or not a connection string', () => {
    expect(() => connectionString('shop', 'env:SHOP_DB', {})).toThrow('source shop: environment variable SHOP_DB (path: env:SHOP_DB) is not set');
    expect(() => connectionString('shop', 'mysql://x', {})).toThrow(/source shop: path must be a connection string/);
  });
});

describe('redact', () => {
  it('removes the password, keeps user, host, port and database', () => {
    expect(redact('postgres://scrm:s3cr%40t@127.0.0.1:5432/shop')).toBe('postgres://scrm@127.0.0.1:5432/shop');
    expect(redact('postgres://scrm@db/shop')).toBe('postgres://scrm@db/shop');
    expect(redact('postgres://u@h/db?password=x&sslmode=require')).toBe('postgres://u@h/db');
  });
});

describe('qualifiedName', () => {
  it('quotes each part as written', () => {
    expect(qualifiedName('customers')).toBe('"customers"');
    expect(qualifiedName('crm.Customers')).toBe('"crm"."Customers"');
    expect(qualifiedName('"my.schema"."odd ""name"""')).toBe('"my.schema"."odd ""name"""');
  });
  it('rejects empty parts and injection attempts stay quoted', () => {
    expect(() => qualifiedName('a..b')).toThrow(/option table/);
    expect(() => qualifiedName('')).toThrow(/option table/);
    expect(qualifiedName('x; DROP TABLE y')).toBe('"x; DROP TABLE y"');
  });
});

describe('selectSql', () => {
  it('reads a whole table or runs a SELECT', () => {
    expect(selectSql('s', { table: 'public.orders' })).toBe('SELECT * FROM "public"."orders"');
    expect(selectSql('s', { query: '-- recent\n  select id from t where note = \'a;b\';' })).toBe("select id from t where note = 'a;b'");
    expect(selectSql('s', { query: 'WITH x AS (SELECT 1) SELECT * FROM x' })).toBe('WITH x AS (SELECT 1) SELECT * FROM x');
  });
  it('rejects anything but one SELECT, both options or neither', () => {
    expect(() => selectSql('s', { query: 'DELETE FROM t' })).toThrow('source s: option query must be a SELECT');
    expect(() => selectSql('s', { query: 'SELECT 1; DROP TABLE t' })).toThrow(/single SELECT/);
    expect(() => selectSql('s', { table: 't', query: 'SELECT 1' })).toThrow(/either option table or option query/);
    expect(() => selectSql('s', {})).toThrow(/needs option table/);
    expect(() => selectSql('s', { tabel: 't' })).toThrow(/unknown postgres option tabel/);
  });
});

describe('pgText', () => {
  it('converts node-postgres values to text', () => {
    expect(pgText(new Date('2026-03-05T14:30:00+02:00'))).toBe('2026-03-05T12:30:00.000Z');
    expect(pgText('12345678901234567890.12')).toBe('12345678901234567890.12');
    expect(pgText(42)).toBe('42');
    expect(pgText(true)).toBe('true');
    expect(pgText(null)).toBeNull();
    expect(pgText({ a: [1, 'b'] })).toBe('{"a":[1,"b"]}');
    expect(pgText(['vip', 'es'])).toBe('vip|es');
    expect(pgText(Buffer.from([1, 255]))).toBe('\\x01ff');
  });
});
