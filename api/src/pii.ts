import { seesPii, type Principal } from './auth.ts';

/**
 * Masking of personal data in API answers for every role but admin. The columns are the ones the model docs
 * mark "(PII)" (customer_360: names, e-mail, phone, birth date) and their aliases in API payloads. Masks keep
 * enough to recognise a record (an initial, the e-mail domain, the last two digits) and nothing to contact a person.
 */
export const PII_FIELDS = new Set(['first_name', 'last_name', 'full_name', 'customer_name', 'email', 'phone', 'birth_date']);

export function maskEmail(v: string): string {
  const at = v.lastIndexOf('@');
  if (at < 1) return '***';
  return `${v[0]}***${v.slice(at)}`;
}

export function maskPhone(v: string): string {
  const digits = v.replace(/\D/g, '');
  return digits.length >= 4 ? `***${digits.slice(-2)}` : '***';
}

export function maskName(v: string): string {
  return v
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => `${[...w][0]}.`)
    .join(' ');
}

export function maskField(field: string, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (field === 'email') return maskEmail(String(value));
  if (field === 'phone') return maskPhone(String(value));
  if (field === 'birth_date') return /^\d{4}/.test(String(value)) ? `${String(value).slice(0, 3)}0s` : '***'; // the decade
  return maskName(String(value));
}

/** The row as the principal may see it: PII fields masked unless the principal is an admin. */
export function maskRow<T extends Record<string, unknown>>(row: T, principal: Principal): T {
  if (seesPii(principal)) return row;
  const out: Record<string, unknown> = { ...row };
  for (const k of Object.keys(out)) if (PII_FIELDS.has(k)) out[k] = maskField(k, out[k]);
  return out as T;
}
