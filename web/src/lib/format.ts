// Every number and date the dashboard shows is formatted here, in en-US, so tiles, axes and
// tooltips agree. Negative numbers use the ASCII hyphen-minus (Intl's en-US default).

import type { Grain, MeasureFormat } from './api';

const LOCALE = 'en-US';
export const NO_VALUE = '—';

const nf = (options: Intl.NumberFormatOptions) => new Intl.NumberFormat(LOCALE, options);

const currencyWhole = nf({ style: 'currency', currency: 'EUR', maximumFractionDigits: 0 });
const currencyCents = nf({ style: 'currency', currency: 'EUR', minimumFractionDigits: 2, maximumFractionDigits: 2 });
const integer = nf({ maximumFractionDigits: 0 });
const number = nf({ maximumFractionDigits: 2 });
const percent = nf({ style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
const signedRatio = nf({ minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: 'exceptZero' });
const signedOneDecimal = nf({ minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: 'exceptZero' });

const compactCurrency = nf({ style: 'currency', currency: 'EUR', notation: 'compact', minimumFractionDigits: 0, maximumFractionDigits: 1 });
const compactNumber = nf({ notation: 'compact', minimumFractionDigits: 0, maximumFractionDigits: 1 });
const compactPercent = nf({ style: 'percent', maximumFractionDigits: 0 });
const compactSignedRatio = nf({ maximumFractionDigits: 1, signDisplay: 'exceptZero' });

function isNumber(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** A measure value as shown on a tile or in a tooltip. */
export function formatValue(value: number | null | undefined, format: MeasureFormat): string {
  if (!isNumber(value)) return NO_VALUE;
  switch (format) {
    case 'currency':
      return (Math.abs(value) >= 1000 ? currencyWhole : currencyCents).format(value);
    case 'integer':
      return integer.format(value);
    case 'percent':
      return percent.format(value);
    case 'signed_ratio':
      return signedRatio.format(value);
    default:
      return number.format(value);
  }
}

/** A short form for axis ticks: "€1.2M", "8.1K", "35%". */
export function formatCompact(value: number | null | undefined, format: MeasureFormat): string {
  if (!isNumber(value)) return '';
  switch (format) {
    case 'currency':
      return compactCurrency.format(value);
    case 'percent':
      return compactPercent.format(value);
    case 'signed_ratio':
      return compactSignedRatio.format(value);
    default:
      return compactNumber.format(value);
  }
}

export type Direction = 'up' | 'down' | 'flat';

export interface Change {
  /** "+12.3%" or, for shares and ratios, the difference in percentage points: "+1.2 pp". */
  text: string;
  direction: Direction;
  unit: '%' | 'pp';
}

/** Shares and ratios change in percentage points; everything else in percent. */
export function changeUnit(format: MeasureFormat): '%' | 'pp' {
  return format === 'percent' || format === 'signed_ratio' ? 'pp' : '%';
}

/**
 * The change from `previous` to `current`, or null when there is nothing to compare with
 * (a missing value, or a relative change from zero).
 */
export function formatChange(
  current: number | null | undefined,
  previous: number | null | undefined,
  format: MeasureFormat,
): Change | null {
  if (!isNumber(current) || !isNumber(previous)) return null;
  const unit = changeUnit(format);
  let delta: number;
  if (unit === 'pp') {
    delta = (current - previous) * 100;
  } else {
    if (previous === 0) {
      if (current !== 0) return null;
      delta = 0;
    } else {
      delta = ((current - previous) / Math.abs(previous)) * 100;
    }
  }
  const rounded = Math.round(delta * 10) / 10;
  const direction: Direction = rounded > 0 ? 'up' : rounded < 0 ? 'down' : 'flat';
  const text = signedOneDecimal.format(rounded) + (unit === 'pp' ? ' pp' : '%');
  return { text, direction, unit };
}

export type Tone = 'good' | 'bad' | 'neutral';

export function changeTone(direction: Direction, higherIsBetter = true): Tone {
  if (direction === 'flat') return 'neutral';
  return (direction === 'up') === higherIsBetter ? 'good' : 'bad';
}

// Dates. Inputs are calendar days (`YYYY-MM-DD`) or local-midnight Dates from the chart scales.

function asDate(value: string | Date): Date {
  if (value instanceof Date) return value;
  const [y, m, d] = value.slice(0, 10).split('-').map(Number);
  return new Date(y, m - 1, d);
}

const dayFmt = new Intl.DateTimeFormat(LOCALE, { month: 'short', day: 'numeric', year: 'numeric' });
const dayNoYearFmt = new Intl.DateTimeFormat(LOCALE, { month: 'short', day: 'numeric' });
const monthFmt = new Intl.DateTimeFormat(LOCALE, { month: 'long', year: 'numeric' });
const monthShortFmt = new Intl.DateTimeFormat(LOCALE, { month: 'short' });
const weekdayFmt = new Intl.DateTimeFormat(LOCALE, { weekday: 'short' });

/** "Aug 3, 2026" */
export function formatDate(value: string | Date): string {
  return dayFmt.format(asDate(value));
}

/** "Aug 3 – Oct 31, 2026", or with both years when they differ. */
export function formatDateRange(from: string, to: string): string {
  if (from === to) return formatDate(from);
  const sameYear = from.slice(0, 4) === to.slice(0, 4);
  return `${sameYear ? dayNoYearFmt.format(asDate(from)) : formatDate(from)} – ${formatDate(to)}`;
}

/** The label of one period of a time series: "Mon, Aug 3, 2026", "Week of Aug 3, 2026", "August 2026". */
export function formatPeriod(value: string | Date, grain: Grain): string {
  const date = asDate(value);
  if (grain === 'month') return monthFmt.format(date);
  if (grain === 'week') return `Week of ${dayFmt.format(date)}`;
  return `${weekdayFmt.format(date)}, ${dayFmt.format(date)}`;
}

/** An axis tick: "Aug 3" for days and weeks, "Aug ’26" for months. */
export function formatAxisDate(value: string | Date, grain: Grain): string {
  const date = asDate(value);
  if (grain === 'month') return `${monthShortFmt.format(date)} ’${String(date.getFullYear()).slice(2)}`;
  return dayNoYearFmt.format(date);
}

const timestampFmt = new Intl.DateTimeFormat(LOCALE, {
  month: 'short',
  day: 'numeric',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

/** An ISO timestamp in the reader's time zone: "Nov 22, 2026, 06:47". */
export function formatTimestamp(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : timestampFmt.format(date);
}
