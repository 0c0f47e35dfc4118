import { describe, expect, it } from 'vitest';
import { cellText, isEmptyRow, isWantedSheet, rowValues, xlsxOptions } from './xlsx-cells.ts';

describe('cellText', () => {
  it('keeps numbers, strings and booleans as text', () => {
    expect([cellText(12.5), cellText(-3), cellText('José Ñúñez'), cellText(true), cellText(false)]).toEqual(['12.5', '-3', 'José Ñúñez', 'true', 'false']);
  });
  it('writes dates as ISO timestamps in UTC', () => {
    expect(cellText(new Date(Date.UTC(2026, 2, 5, 14, 30)))).toBe('2026-03-05T14:30:00.000Z');
    expect(cellText(new Date(Number.NaN))).toBeNull();
  });
  it('joins rich text runs', () => {
    expect(cellText({ richText: [{ text: 'Ana ' }, { font: { bold: true }, text: 'Gómez' }] })).toBe('Ana Gómez');
  });
  it('uses the cached result of a formula, null when there is none or it is an error', () => {
    expect(cellText({ formula: 'A1*2', result: 42 })).toBe('42');
    expect(cellText({ formula: 'A1&B1', result: 'ab' })).toBe('ab');
    expect(cellText({ formula: 'A1*2' })).toBeNull();
    expect(cellText({ formula: '1/0', result: { error: '#DIV/0!' } })).toBeNull();
    expect(cellText({ formula: 'NA()', result: Number.NaN })).toBeNull();
  });
  it('takes the text of a hyperlink', () => {
    expect(cellText({ text: 'our site', hyperlink: 'https://example.com' })).toBe('our site');
  });
  it('turns errors and empty cells into null', () => {
    expect([cellText({ error: '#N/A' }), cellText(null), cellText(undefined), cellText('')]).toEqual([null, null, null, null]);
  });
});

describe('rowValues', () => {
  it('reads a 1-based sparse row and drops trailing blanks', () => {
    // eslint-disable-next-line no-sparse-arrays
    expect(rowValues([, 'a', , 3, null, ' '])).toEqual(['a', null, '3']);
  });
  it('treats a row of blanks as empty', () => {
    expect(isEmptyRow(rowValues([undefined, null, '  ']))).toBe(true);
    expect(isEmptyRow(['x'])).toBe(false);
  });
});

describe('xlsxOptions', () => {
  it('defaults to the first sheet, a header and no skipped rows', () => {
    expect(xlsxOptions('s', {})).toEqual({ sheet: 1, header: true, skipRows: 0 });
  });
  it('accepts a sheet name or number, header false and skip_rows', () => {
    expect(xlsxOptions('s', { sheet: 'Pedidos', header: false, skip_rows: 2 })).toEqual({ sheet: 'Pedidos', header: false, skipRows: 2 });
  });
  it('rejects bad values and unknown options, naming the source', () => {
    expect(() => xlsxOptions('shop', { sheet: 0 })).toThrow(/source shop: option sheet/);
    expect(() => xlsxOptions('shop', { skip_rows: -1 })).toThrow(/skip_rows/);
    expect(() => xlsxOptions('shop', { sheets: 'x' })).toThrow(/unknown xlsx option sheets/);
  });
});

describe('isWantedSheet', () => {
  it('matches by 1-based position or exact name', () => {
    expect(isWantedSheet(2, 'B', 2)).toBe(true);
    expect(isWantedSheet(2, 'B', 1)).toBe(false);
    expect(isWantedSheet('Pedidos', 'Pedidos', 3)).toBe(true);
    expect(isWantedSheet('Pedidos', 'pedidos', 3)).toBe(false);
  });
});
