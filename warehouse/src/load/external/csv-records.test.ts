import { describe, expect, it } from 'vitest';
import { columnNames, csvLine, padRecord } from './csv-records.ts';

describe('csvLine', () => {
  it('quotes every value, doubles quotes and leaves nulls empty', () => {
    expect(csvLine(['a', null, 'say "hi", ok', ''])).toBe('"a",,"say ""hi"", ok",""\n');
  });
  it('keeps embedded newlines inside the quotes', () => {
    expect(csvLine(['line 1\nline 2'])).toBe('"line 1\nline 2"\n');
  });
});

describe('columnNames', () => {
  it('names blank header cells by position and pads to the width', () => {
    expect(columnNames(['id', null, ' ', 'Name'], 6)).toEqual(['id', 'column2', 'column3', 'Name', 'column5', 'column6']);
  });
  it('makes repeated names unique, ignoring case', () => {
    expect(columnNames(['Email', 'email', 'EMAIL', 'email_2'])).toEqual(['Email', 'email_2', 'EMAIL_3', 'email_2_2']);
  });
});

describe('padRecord', () => {
  it('pads short records with nulls', () => {
    expect(padRecord(['a'], 3)).toEqual(['a', null, null]);
  });
});
