import { describe, expect, it } from 'vitest';
import {
  changeTone,
  formatAxisDate,
  formatChange,
  formatCompact,
  formatDate,
  formatDateRange,
  formatPeriod,
  formatValue,
} from './format';

describe('formatValue', () => {
  it('formats currency in EUR with no decimals from 1,000 up', () => {
    expect(formatValue(1234567.89, 'currency')).toBe('€1,234,568');
    expect(formatValue(1000, 'currency')).toBe('€1,000');
    expect(formatValue(-2500.4, 'currency')).toBe('-€2,500');
  });
  it('keeps cents below 1,000 (e.g. average order value)', () => {
    expect(formatValue(54.321, 'currency')).toBe('€54.32');
    expect(formatValue(0, 'currency')).toBe('€0.00');
  });
  it('groups integers', () => {
    expect(formatValue(8123, 'integer')).toBe('8,123');
    expect(formatValue(1234567, 'integer')).toBe('1,234,567');
    expect(formatValue(8123.6, 'integer')).toBe('8,124');
  });
  it('formats a 0..1 share as a percent with one decimal', () => {
    expect(formatValue(0.345, 'percent')).toBe('34.5%');
    expect(formatValue(1, 'percent')).toBe('100.0%');
    expect(formatValue(0, 'percent')).toBe('0.0%');
  });
  it('formats signed ratios with two decimals, a sign and an ASCII minus', () => {
    expect(formatValue(0.2345, 'signed_ratio')).toBe('+0.23');
    expect(formatValue(-0.05, 'signed_ratio')).toBe('-0.05');
    expect(formatValue(0, 'signed_ratio')).toBe('0.00');
    expect(formatValue(-0.05, 'signed_ratio').charCodeAt(0)).toBe(0x2d);
  });
  it('formats plain numbers with up to two decimals', () => {
    expect(formatValue(1234.5678, 'number')).toBe('1,234.57');
  });
  it('shows a dash for missing values', () => {
    expect(formatValue(null, 'currency')).toBe('—');
    expect(formatValue(undefined, 'integer')).toBe('—');
    expect(formatValue(Number.NaN, 'percent')).toBe('—');
  });
});

describe('formatCompact', () => {
  it('shortens axis values', () => {
    expect(formatCompact(1_250_000, 'currency')).toBe('€1.3M');
    expect(formatCompact(120_000, 'currency')).toBe('€120K');
    expect(formatCompact(8123, 'integer')).toBe('8.1K');
    expect(formatCompact(0.35, 'percent')).toBe('35%');
    expect(formatCompact(-0.25, 'signed_ratio')).toBe('-0.3');
    expect(formatCompact(null, 'integer')).toBe('');
  });
});

describe('formatChange', () => {
  it('gives the relative change for amounts and counts', () => {
    expect(formatChange(1234567.89, 1100000, 'currency')).toEqual({ text: '+12.2%', direction: 'up', unit: '%' });
    expect(formatChange(7900, 8123, 'integer')).toEqual({ text: '-2.7%', direction: 'down', unit: '%' });
  });
  it('gives percentage points for shares and ratios', () => {
    expect(formatChange(0.357, 0.345, 'percent')).toEqual({ text: '+1.2 pp', direction: 'up', unit: 'pp' });
    expect(formatChange(-0.05, 0.23, 'signed_ratio')).toEqual({ text: '-28.0 pp', direction: 'down', unit: 'pp' });
  });
  it('is flat when the rounded change is zero', () => {
    expect(formatChange(100.01, 100, 'integer')).toEqual({ text: '0.0%', direction: 'flat', unit: '%' });
    expect(formatChange(0, 0, 'integer')?.direction).toBe('flat');
  });
  it('has nothing to say without a comparison or from zero', () => {
    expect(formatChange(10, null, 'integer')).toBeNull();
    expect(formatChange(null, 10, 'integer')).toBeNull();
    expect(formatChange(10, 0, 'integer')).toBeNull();
  });
  it('measures relative change against the magnitude of a negative base', () => {
    expect(formatChange(-50, -100, 'number')?.text).toBe('+50.0%');
  });
});

describe('changeTone', () => {
  it('colours by whether the direction is good', () => {
    expect(changeTone('up')).toBe('good');
    expect(changeTone('down')).toBe('bad');
    expect(changeTone('up', false)).toBe('bad');
    expect(changeTone('flat')).toBe('neutral');
  });
});

describe('dates', () => {
  it('formats calendar days without shifting them', () => {
    expect(formatDate('2026-08-03')).toBe('Aug 3, 2026');
    expect(formatDateRange('2026-08-03', '2026-10-31')).toBe('Aug 3 – Oct 31, 2026');
    expect(formatDateRange('2025-11-01', '2026-10-31')).toBe('Nov 1, 2025 – Oct 31, 2026');
    expect(formatDateRange('2026-10-31', '2026-10-31')).toBe('Oct 31, 2026');
  });
  it('labels periods by grain', () => {
    expect(formatPeriod('2026-08-03', 'week')).toBe('Week of Aug 3, 2026');
    expect(formatPeriod('2026-08-01', 'month')).toBe('August 2026');
    expect(formatPeriod('2026-08-03', 'day')).toBe('Mon, Aug 3, 2026');
    expect(formatAxisDate('2026-08-03', 'day')).toBe('Aug 3');
    expect(formatAxisDate(new Date(2026, 7, 1), 'month')).toBe('Aug ’26');
  });
});
