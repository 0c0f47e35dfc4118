// Calendar arithmetic on `YYYY-MM-DD` strings (the API's date format) and the date-range presets.
// Dates are calendar days, not instants: arithmetic goes through UTC so no time zone can shift a day.

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

export function isIsoDate(value: string | null | undefined): value is string {
  const m = value ? ISO_DATE.exec(value) : null;
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

function toUtcMs(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number);
  return Date.UTC(y, m - 1, d);
}

function fromUtcMs(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(iso: string, days: number): string {
  return fromUtcMs(toUtcMs(iso) + days * DAY_MS);
}

/** Adds calendar months, clamping to the month's last day (2024-03-31 − 1 month = 2024-02-29). */
export function addMonths(iso: string, months: number): string {
  const [y, m, d] = iso.split('-').map(Number);
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, lastDay));
  return fromUtcMs(first.getTime());
}

/** Number of days in the inclusive range [from, to]. */
export function daysInRange(from: string, to: string): number {
  return Math.round((toUtcMs(to) - toUtcMs(from)) / DAY_MS) + 1;
}

/** A calendar day as a local-midnight Date, which is what chart time scales tick on. */
export function toLocalDate(iso: string): Date {
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
  return new Date(y, m - 1, d);
}

export type PresetId = '7d' | '30d' | '90d' | '12m' | 'ytd';

export const PRESETS: ReadonlyArray<{ id: PresetId; label: string }> = [
  { id: '7d', label: 'Last 7 days' },
  { id: '30d', label: 'Last 30 days' },
  { id: '90d', label: 'Last 90 days' },
  { id: '12m', label: 'Last 12 months' },
  { id: 'ytd', label: 'Year to date' },
];

export interface DateRange {
  from: string;
  to: string;
}

/** The preset's range ending on `today` (the last day with data, not the wall clock). */
export function presetRange(id: PresetId, today: string): DateRange {
  switch (id) {
    case '7d':
      return { from: addDays(today, -6), to: today };
    case '30d':
      return { from: addDays(today, -29), to: today };
    case '90d':
      return { from: addDays(today, -89), to: today };
    case '12m':
      return { from: addDays(addMonths(today, -12), 1), to: today };
    case 'ytd':
      return { from: `${today.slice(0, 4)}-01-01`, to: today };
  }
}

/** The preset that produces exactly this range, or null for a custom range. */
export function matchPreset(range: DateRange, today: string): PresetId | null {
  for (const { id } of PRESETS) {
    const r = presetRange(id, today);
    if (r.from === range.from && r.to === range.to) return id;
  }
  return null;
}
