import { describe, expect, it } from 'vitest';
import { entity } from '../entities.ts';
import { mapColumns, normaliseName } from './column-mapping.ts';

describe('normaliseName', () => {
  it('ignores case, accents and punctuation', () => {
    expect(normaliseName('E-mail ')).toBe('email');
    expect(normaliseName('Teléfono')).toBe('telefono');
    expect(normaliseName('Customer_ID')).toBe('customerid');
  });
});

describe('mapColumns', () => {
  const customers = entity('customers');

  it('matches canonical names and aliases, keeps the rest as extra', () => {
    const m = mapColumns(customers, ['Customer ID', 'E-mail', 'Apellidos', 'Favourite colour']);
    expect(m.columns.customer_id).toEqual({ kind: 'column', source: 'Customer ID' });
    expect(m.columns.email).toEqual({ kind: 'column', source: 'E-mail' });
    expect(m.columns.last_name).toEqual({ kind: 'column', source: 'Apellidos' });
    expect(m.columns.phone).toEqual({ kind: 'missing' });
    expect(m.extra).toEqual(['Favourite colour']);
  });

  it('prefers the explicit mapping, and treats a non-column value as an SQL expression', () => {
    const m = mapColumns(customers, ['id', 'legacy_id', 'dob'], {
      customer_id: 'legacy_id',
      birth_date: "strptime(dob, '%d/%m/%Y')",
    });
    expect(m.columns.customer_id).toEqual({ kind: 'column', source: 'legacy_id' });
    expect(m.columns.birth_date).toEqual({ kind: 'expression', sql: "strptime(dob, '%d/%m/%Y')" });
    // "id" is an alias of customer_id, but the explicit mapping took that column: id stays extra.
    expect(m.extra).toEqual(['id']);
  });

  it('does not assign one source column to two canonical columns', () => {
    const m = mapColumns(entity('orders'), ['InvoiceNo', 'CustomerID', 'InvoiceDate']);
    expect(m.columns.order_id).toEqual({ kind: 'column', source: 'InvoiceNo' });
    expect(m.columns.ordered_at).toEqual({ kind: 'column', source: 'InvoiceDate' });
    expect(m.columns.customer_id).toEqual({ kind: 'column', source: 'CustomerID' });
    expect(m.extra).toEqual([]);
  });
});
