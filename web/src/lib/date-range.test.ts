import { describe, expect, it } from 'vitest';
import { addDays, addMonths, daysInRange, isIsoDate, matchPreset, presetRange, toLocalDate } from './date-range';

describe('calendar arithmetic', () => {
  it('validates calendar days', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('2026-1-01')).toBe(false);
    expect(isIsoDate(null)).toBe(false);
  });
  it('adds days and months across boundaries', () => {
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-10-31', -89)).toBe('2026-08-03');
    expect(addMonths('2024-03-31', -1)).toBe('2024-02-29');
    expect(addMonths('2026-10-31', -12)).toBe('2025-10-31');
    expect(daysInRange('2026-08-03', '2026-10-31')).toBe(90);
  });
  it('turns a day into local midnight', () => {
    const d = toLocalDate('2026-08-03');
    expect([d.getFullYear(), d.getMonth(), d.getDate(), d.getHours()]).toEqual([2026, 7, 3, 0]);
  });
});

describe('presets', () => {
  const today = '2026-10-31';
  it('end on the last day with data', () => {
    expect(presetRange('7d', today)).toEqual({ from: '2026-10-25', to: today });
    expect(presetRange('30d', today)).toEqual({ from: '2026-10-02', to: today });
    expect(presetRange('90d', today)).toEqual({ from: '2026-08-03', to: today });
    expect(presetRange('12m', today)).toEqual({ from: '2025-11-01', to: today });
    expect(presetRange('ytd', today)).toEqual({ from: '2026-01-01', to: today });
  });
  it('are recognised from a range, else custom', () => {
    expect(matchPreset({ from: '2026-10-02', to: today }, today)).toBe('30d');
    expect(matchPreset({ from: '2026-10-03', to: today }, today)).toBeNull();
  });
});
