/**
 * The console's limits, from the environment (defaults in brackets):
 * SCRM_SQL_TIMEOUT_MS [10000] statement timeout; SCRM_SQL_MAX_ROWS [10000] rows of a JSON answer;
 * SCRM_SQL_MAX_ROWS_STREAM [1000000] rows of a CSV or Arrow answer; SCRM_SQL_MAX_BYTES [33554432] bytes of
 * a JSON answer's rows; SCRM_SQL_MAX_BYTES_STREAM [268435456] bytes of a CSV or Arrow answer;
 * SCRM_SQL_SLOTS [2] console connections; SCRM_SQL_QUEUE_MS [2000] how long a request waits for a slot.
 */
export interface ConsoleLimits {
  timeoutMs: number;
  maxRows: number;
  maxRowsStream: number;
  maxBytes: number;
  maxBytesStream: number;
  slots: number;
  queueMs: number;
}

export const DEFAULT_LIMITS: ConsoleLimits = {
  timeoutMs: 10_000,
  maxRows: 10_000,
  maxRowsStream: 1_000_000,
  maxBytes: 32 * 1024 * 1024,
  maxBytesStream: 256 * 1024 * 1024,
  slots: 2,
  queueMs: 2_000,
};

const ENV: Record<keyof ConsoleLimits, string> = {
  timeoutMs: 'SCRM_SQL_TIMEOUT_MS',
  maxRows: 'SCRM_SQL_MAX_ROWS',
  maxRowsStream: 'SCRM_SQL_MAX_ROWS_STREAM',
  maxBytes: 'SCRM_SQL_MAX_BYTES',
  maxBytesStream: 'SCRM_SQL_MAX_BYTES_STREAM',
  slots: 'SCRM_SQL_SLOTS',
  queueMs: 'SCRM_SQL_QUEUE_MS',
};

export function limitsFromEnv(env: NodeJS.ProcessEnv = process.env): ConsoleLimits {
  const out = { ...DEFAULT_LIMITS };
  for (const [key, name] of Object.entries(ENV) as [keyof ConsoleLimits, string][]) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, not "${raw}"`);
    out[key] = n;
  }
  return out;
}
