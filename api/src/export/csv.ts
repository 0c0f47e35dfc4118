/**
 * CSV exports are DuckDB's own CSV writer (COPY … TO, on all its threads): RFC 4180 — comma, CR LF, a header row,
 * fields with a comma, quote or line break quoted and quotes doubled — UTF-8; dates YYYY-MM-DD, timestamps ISO 8601
 * UTC with milliseconds, booleans true/false, null as an empty field (an empty text as "").
 */
export const CSV_COPY_OPTIONS = `FORMAT csv, HEADER true, NEW_LINE '\r\n', DATEFORMAT '%Y-%m-%d', TIMESTAMPFORMAT '%Y-%m-%dT%H:%M:%S.%gZ'`;
