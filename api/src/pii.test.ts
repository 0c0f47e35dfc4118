import { describe, expect, it } from 'vitest';
import { maskEmail, maskName, maskPhone, maskRow } from './pii.ts';

describe('PII masks', () => {
  it('keep a hint to recognise a record and nothing to contact the person', () => {
    expect(maskEmail('maria.garcia@example.es')).toBe('m***@example.es');
    expect(maskEmail('broken')).toBe('***');
    expect(maskPhone('+34 612 345 678')).toBe('***78');
    expect(maskPhone('12')).toBe('***');
    expect(maskName('María José García')).toBe('M. J. G.');
  });

  it('mask every PII field for non-admins and none for admins', () => {
    const row = { customer_id: 'C1', full_name: 'Ana Souza', email: 'ana@x.br', phone: '11 99999-1234', birth_date: '1987-03-02', city: 'Porto' };
    expect(maskRow(row, { role: 'analyst', name: 'a' })).toEqual({ customer_id: 'C1', full_name: 'A. S.', email: 'a***@x.br', phone: '***34', birth_date: '1980s', city: 'Porto' });
    expect(maskRow(row, { role: 'admin', name: 'a' })).toEqual(row);
  });
});
