import { describe, expect, it } from 'vitest';
import { decodeSample, normaliseEncoding, sniffCsv, splitRecords } from './readers.ts';

const csv = (options: Record<string, string | number | boolean> = {}) => ({ format: 'csv' as const, options });

describe('CSV dialect sniffing', () => {
  it('detects comma, semicolon, tab and pipe, ignoring delimiters inside quotes', () => {
    expect(sniffCsv('a,b,c\n1,2,3\n', csv()).delimiter).toBe(',');
    expect(sniffCsv('a;b;c\n"1,5";2;3\n', csv()).delimiter).toBe(';');
    expect(sniffCsv('a\tb\n1\t2\n', csv()).delimiter).toBe('\t');
    expect(sniffCsv('a|b\n1|2\n', csv()).delimiter).toBe('|');
    expect(sniffCsv('"x,y";b\n1;2\n', csv()).delimiter).toBe(';');
  });
  it('honours an explicit delimiter and TSV', () => {
    expect(sniffCsv('a,b;c\n', csv({ delimiter: ';' })).columns).toEqual(['a,b', 'c']);
    expect(sniffCsv('a,b\tc\n', { format: 'tsv', options: {} }).columns).toEqual(['a,b', 'c']);
  });
  it('names header-less columns column0, column1, … and fills blank or repeated header names', () => {
    expect(sniffCsv('1,2,3\n', csv({ header: false })).columns).toEqual(['column0', 'column1', 'column2']);
    expect(sniffCsv('id,,Id\n', csv()).columns).toEqual(['id', 'column1', 'Id_2']);
  });
  it('an empty or blank sample has no columns', () => {
    expect(sniffCsv('', csv()).columns).toEqual([]);
    expect(sniffCsv(' \n', csv()).columns).toEqual([]);
  });
  it('splits quoted fields with embedded newlines, delimiters and doubled quotes', () => {
    expect(splitRecords('a,"b\n""c"", d"\r\n1,2\n', ',', '"')).toEqual([['a', 'b\n"c", d'], ['1', '2']]);
  });
});

describe('sample decoding', () => {
  it('strips a BOM and refuses binary data', () => {
    expect(decodeSample(Buffer.from('\ufeffa,b\n'), 'utf-8')).toBe('a,b\n');
    expect(() => decodeSample(Buffer.from([0x41, 0x00, 0x42]), 'utf-8')).toThrow(/not a text file/);
    expect(() => decodeSample(Buffer.from(Array.from({ length: 200 }, (_, i) => 0x80 + (i % 60))), 'utf-8')).toThrow(/undecodable/);
  });
  it('normalises encoding names', () => {
    expect(['UTF8', 'latin1', 'ISO-8859-1', 'cp1252', 'Windows-1252'].map(normaliseEncoding)).toEqual(['utf-8', 'latin-1', 'latin-1', 'windows-1252', 'windows-1252']);
  });
});
