import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Database, loadSpec, parseSpecText, type Connection, type LoadResult } from '@scrm/warehouse';

/**
 * A catalogue of bad input, one kind per test: each writes a file, loads it into a fresh DuckDB file and
 * asserts exactly which keys loaded, which records were quarantined with which reasons, and that
 * read = loaded + updated + duplicate + quarantined.
 */
const root = mkdtempSync(join(tmpdir(), 'scrm-bad-'));
const open: Database[] = [];
afterAll(() => open.forEach((d) => d.close()));

interface Outcome {
  results: LoadResult[];
  c: Connection;
  /** quarantine rows: record_no and reasons (and raw), in record order */
  q: { source: string; record_no: number; reasons: string[]; raw: unknown }[];
  keys: (sql: string) => Promise<unknown[]>;
}

let n = 0;
/** Writes `files` into a fresh directory, loads `sources` (YAML list items) and returns the outcome. */
async function load(files: Record<string, string | Buffer>, sources: string): Promise<Outcome> {
  const dir = join(root, `k${++n}`);
  mkdirSync(dir);
  for (const [f, body] of Object.entries(files)) writeFileSync(join(dir, f), body);
  const db = await Database.open(join(dir, 'w.duckdb'));
  open.push(db);
  const c = await db.connect();
  const results = await loadSpec(c, parseSpecText(`sources:\n${sources}`, join(dir, 'spec.yaml')));
  for (const r of results) if (r.status === 'loaded') expect(r.read).toBe(r.loaded + r.updated + r.duplicate + r.quarantined);
  const q = await c.all<Outcome['q'][number]>(`SELECT source, record_no, reasons, raw FROM meta.quarantine ORDER BY source, file, record_no`);
  return { results, c, q: q.map((r) => ({ ...r, raw: r.raw === null ? null : JSON.parse(String(r.raw)) })), keys: async (sql) => (await c.all(sql)).map((r) => (Object.keys(r).length === 1 ? Object.values(r)[0] : r)) };
}

const src = (entity: string, file: string, extra = '') => `  - name: s\n    entity: ${entity}\n    path: ${file}\n${extra}`;
const orders = (extra = '') => src('orders', 'o.csv', extra);
const reasons = (o: Outcome) => o.q.map((r) => [r.record_no, r.reasons]);

describe('bad input: keys and values', () => {
  it('missing key column value → quarantined "missing order_id"', async () => {
    const o = await load({ 'o.csv': 'order_id,ordered_at\n1,2026-01-02\n,2026-01-03\n' }, orders());
    expect(o.results[0]).toMatchObject({ status: 'loaded', read: 2, loaded: 1, quarantined: 1 });
    expect(await o.keys('SELECT order_id FROM raw.orders')).toEqual(['1']);
    expect(reasons(o)).toEqual([[2, ['missing order_id']]]);
  });

  it('empty-string / blank key → quarantined "missing order_id"', async () => {
    const o = await load({ 'o.csv': 'order_id,ordered_at\n"",2026-01-02\n"   ",2026-01-03\n3,2026-01-03\n' }, orders());
    expect(o.results[0]).toMatchObject({ read: 3, loaded: 1, quarantined: 2 });
    expect(reasons(o)).toEqual([[1, ['missing order_id']], [2, ['missing order_id']]]);
  });

  it('unparsable number "12,5x" → invalid decimal', async () => {
    const o = await load({ 'o.csv': 'order_id,ordered_at,total_amount\n1,2026-01-02,12.50\n2,2026-01-02,"12,5x"\n' }, orders());
    expect(o.results[0]).toMatchObject({ read: 2, loaded: 1, quarantined: 1 });
    expect(await o.keys('SELECT total_amount FROM raw.orders')).toEqual([12.5]);
    expect(reasons(o)).toEqual([[2, ['invalid decimal in total_amount: "12,5x"']]]);
  });

  it('European decimal comma with decimal: "," (and 1.234,50 thousands) loads; a bare "1.5" is invalid', async () => {
    const o = await load({ 'o.csv': 'order_id;ordered_at;total_amount\n1;2026-01-02;12,5\n2;2026-01-02;1.234,50\n3;2026-01-02;7\n4;2026-01-02;1.5\n' }, orders('    options: { decimal: "," }\n'));
    expect(o.results[0]).toMatchObject({ read: 4, loaded: 3, quarantined: 1 });
    expect(await o.keys('SELECT total_amount FROM raw.orders ORDER BY order_id')).toEqual([12.5, 1234.5, 7]);
    expect(reasons(o)).toEqual([[4, ['invalid decimal in total_amount: "1.5"']]]);
  });

  it('thousands separators with the default decimal point: "1,234.50" and "1,000,000" load', async () => {
    const o = await load({ 'o.csv': 'order_id,ordered_at,total_amount\n1,2026-01-02,"1,234.50"\n2,2026-01-02,"1,000,000"\n3,2026-01-02,"12,34"\n' }, orders());
    expect(await o.keys('SELECT total_amount FROM raw.orders ORDER BY order_id')).toEqual([1234.5, 1000000]);
    expect(reasons(o)).toEqual([[3, ['invalid decimal in total_amount: "12,34"']]]);
  });

  it('unparsable date → invalid timestamp', async () => {
    const o = await load({ 'o.csv': 'order_id,ordered_at\n1,2026-01-02\n2,yesterday\n' }, orders());
    expect(reasons(o)).toEqual([[2, ['invalid timestamp in ordered_at: "yesterday"']]]);
    expect(await o.keys('SELECT order_id FROM raw.orders')).toEqual(['1']);
  });

  it('impossible date 31/02 with dateformat → invalid date', async () => {
    const o = await load({ 'c.csv': 'customer_id,birth_date\nC1,28/02/1990\nC2,31/02/1990\n' }, src('customers', 'c.csv', '    options: { dateformat: "%d/%m/%Y" }\n'));
    expect(o.results[0]).toMatchObject({ read: 2, loaded: 1, quarantined: 1 });
    expect(await o.keys(`SELECT strftime(birth_date, '%Y-%m-%d') FROM raw.customers`)).toEqual(['1990-02-28']);
    expect(reasons(o)).toEqual([[2, ['invalid date in birth_date: "31/02/1990"']]]);
  });

  it('order dated in the far future → implausible', async () => {
    const o = await load({ 'o.csv': 'order_id,ordered_at\n1,2026-01-02\n2,2099-01-01\n' }, orders());
    expect(reasons(o)).toEqual([[2, ['order date outside 1990-01-01 .. tomorrow in ordered_at: 2099-01-01']]]);
  });

  it('order dated before 1990 → implausible', async () => {
    const o = await load({ 'o.csv': 'order_id,ordered_at\n1,2026-01-02\n2,1985-06-01 10:00\n' }, orders());
    expect(reasons(o)).toEqual([[2, ['order date outside 1990-01-01 .. tomorrow in ordered_at: 1985-06-01 10:00']]]);
  });

  it('timestamps with a time zone offset or Z are converted to UTC', async () => {
    const o = await load({ 'o.csv': 'order_id,ordered_at\n1,2026-01-02T10:00:00+02:00\n2,2026-01-02T10:00:00Z\n3,2026-01-02 10:00:00-0500\n' }, orders());
    expect(await o.keys('SELECT ordered_at FROM raw.orders ORDER BY order_id')).toEqual(['2026-01-02T08:00:00.000Z', '2026-01-02T10:00:00.000Z', '2026-01-02T15:00:00.000Z']);
    expect(o.q).toEqual([]);
  });

  it('naive timestamps with timezone: Europe/Madrid are converted to UTC (winter +1, summer +2); offsets still win', async () => {
    const o = await load(
      { 'o.csv': 'order_id,ordered_at\n1,15/01/2026 10:00\n2,15/07/2026 10:00\n3,2026-07-15T10:00:00Z\n' },
      orders('    options: { timezone: Europe/Madrid, timestampformat: "%d/%m/%Y %H:%M" }\n'),
    );
    // Text that carries an offset (or Z) is converted by its own offset, bypassing timestampformat and timezone.
    expect(await o.keys('SELECT ordered_at FROM raw.orders ORDER BY order_id')).toEqual(['2026-01-15T09:00:00.000Z', '2026-07-15T08:00:00.000Z', '2026-07-15T10:00:00.000Z']);
    expect(o.q).toEqual([]);
  });

  it('values outside the allowed set: order status, ticket priority, mention sentiment', async () => {
    const o = await load(
      {
        'o.csv': 'order_id,ordered_at,status\n1,2026-01-02,paid\n2,2026-01-02,lost\n',
        't.csv': 'ticket_id,opened_at,priority,status\nT1,2026-01-02,high,solved\nT2,2026-01-02,asap,open\nT3,2026-01-02,low,limbo\n',
        'm.csv': 'mention_id,network,posted_at,source_sentiment\nM1,Twitter,2026-01-02,Positive\nM2,instagram,2026-01-02,angry\n',
      },
      [orders(), src('support_tickets', 't.csv').replace('name: s', 'name: t'), src('mentions', 'm.csv').replace('name: s', 'name: m')].join(''),
    );
    expect(o.results.map((r) => [r.loaded, r.quarantined])).toEqual([[1, 1], [1, 2], [1, 1]]);
    expect(await o.keys('SELECT status FROM raw.orders')).toEqual(['completed']);
    expect(await o.keys('SELECT status FROM raw.support_tickets')).toEqual(['resolved']);
    expect(await o.keys('SELECT network || source_sentiment FROM raw.mentions')).toEqual(['xpositive']);
    expect(o.q.map((r) => [r.source, r.record_no, r.reasons])).toEqual([
      ['m', 2, ['source_sentiment "angry" is not one of positive, neutral, negative']],
      ['s', 2, ['status "lost" is not one of completed, cancelled, returned']],
      ['t', 2, ['priority "asap" is not one of low, normal, high, urgent']],
      ['t', 3, ['status "limbo" is not one of open, pending, resolved, closed']],
    ]);
  });

  it('order channel synonyms normalise (online→web, In-Store→store, e-commerce→web); unknown channel and bad currency quarantined', async () => {
    const o = await load(
      { 'o.csv': 'order_id,ordered_at,channel,currency\n1,2026-01-02,online,eur\n2,2026-01-02,In-Store,USD\n3,2026-01-02,e-commerce,\n4,2026-01-02,carrier pigeon,EUR\n5,2026-01-02,web,€\n' },
      orders(),
    );
    expect(await o.keys('SELECT order_id || channel || currency FROM raw.orders ORDER BY order_id')).toEqual(['1webEUR', '2storeUSD', '3webEUR']);
    expect(reasons(o)).toEqual([
      [4, ['channel "carrier pigeon" is not one of store, web, app, marketplace, phone, social']],
      [5, ['currency "€" is not an ISO 4217 currency code (three letters)']],
    ]);
  });

  it('negative counts: mention likes, profile followers → "negative value"', async () => {
    const o = await load(
      { 'm.csv': 'mention_id,network,posted_at,likes\nM1,x,2026-01-02,3\nM2,x,2026-01-02,-1\n', 'p.csv': 'profile_id,network,followers\nP1,x,-5\nP2,x,10\n' },
      src('mentions', 'm.csv') + src('social_profiles', 'p.csv').replace('name: s', 'name: p'),
    );
    expect(o.q.map((r) => [r.source, r.record_no, r.reasons])).toEqual([
      ['p', 1, ['negative value in followers: -5']],
      ['s', 2, ['negative value in likes: -1']],
    ]);
  });

  it('csat out of range → "csat outside 1..5"', async () => {
    const o = await load({ 't.csv': 'ticket_id,opened_at,csat\nT1,2026-01-02,5\nT2,2026-01-02,9\nT3,2026-01-02,0\n' }, src('support_tickets', 't.csv'));
    expect(await o.keys('SELECT ticket_id FROM raw.support_tickets')).toEqual(['T1']);
    expect(reasons(o)).toEqual([[2, ['csat outside 1..5 in csat: 9']], [3, ['csat outside 1..5 in csat: 0']]]);
  });

  it('unparsable boolean → invalid boolean', async () => {
    const o = await load({ 'c.csv': 'customer_id,marketing_consent\nC1,yes\nC2,maybe\nC3,0\n' }, src('customers', 'c.csv'));
    expect(await o.keys('SELECT customer_id || marketing_consent FROM raw.customers ORDER BY 1')).toEqual(['C1true', 'C3false']);
    expect(reasons(o)).toEqual([[2, ['invalid boolean in marketing_consent: "maybe"']]]);
  });
});

describe('bad input: duplicates', () => {
  it('duplicate key with identical content → counted as duplicate', async () => {
    const o = await load({ 'o.csv': 'order_id,ordered_at\n1,2026-01-02\n1,2026-01-02\n2,2026-01-02\n' }, orders());
    expect(o.results[0]).toMatchObject({ read: 3, loaded: 2, duplicate: 1, quarantined: 0 });
  });

  it('duplicate key with different content → last wins, the other quarantined as a conflict', async () => {
    const o = await load({ 'o.csv': 'order_id,ordered_at,total_amount\n1,2026-01-02,10\n1,2026-01-02,12\n' }, orders());
    expect(o.results[0]).toMatchObject({ read: 2, loaded: 1, duplicate: 0, quarantined: 1 });
    expect(await o.keys('SELECT total_amount FROM raw.orders')).toEqual([12]);
    expect(reasons(o)).toEqual([[1, ['conflicting duplicate of key order_id: record 2 of this file was loaded instead']]]);
  });
});

describe('bad input: CSV structure', () => {
  it('a row with too many columns → quarantined by line, the good rows load', async () => {
    const o = await load({ 'o.csv': 'order_id,ordered_at\n1,2026-01-02\n2,2026-01-02,surprise\n3,2026-01-02\n' }, orders());
    expect(o.results[0]).toMatchObject({ status: 'loaded', read: 3, loaded: 2, quarantined: 1 });
    expect(await o.keys('SELECT order_id FROM raw.orders ORDER BY 1')).toEqual(['1', '3']);
    expect(o.q).toEqual([{ source: 's', record_no: 3, reasons: ['line 3: too many columns (expected 2, found 3)'], raw: { line: '2,2026-01-02,surprise' } }]);
  });

  it('a row with too few columns → quarantined by line', async () => {
    const o = await load({ 'o.csv': 'order_id,ordered_at,total_amount\n1,2026-01-02,5\n2\n3,2026-01-02,6\n' }, orders());
    expect(o.results[0]).toMatchObject({ read: 3, loaded: 2, quarantined: 1 });
    expect(o.q).toEqual([{ source: 's', record_no: 3, reasons: ['line 3: too few columns (expected 3, found 1)'], raw: { line: '2' } }]);
  });

  it('an unterminated quote → that record quarantined (it runs to the end of the file), earlier rows load', async () => {
    const o = await load({ 'o.csv': 'order_id,ordered_at,campaign_id\n1,2026-01-02,"spring, sale"\n2,2026-01-02,x\n3,2026-01-02,"oops\n' }, orders());
    expect(o.results[0]).toMatchObject({ read: 3, loaded: 2, quarantined: 1 });
    expect(await o.keys('SELECT campaign_id FROM raw.orders ORDER BY order_id')).toEqual(['spring, sale', 'x']);
    expect(o.q).toEqual([{ source: 's', record_no: 4, reasons: ['line 4: unterminated or misplaced quote (Value with unterminated quote found.)'], raw: { line: '3,2026-01-02,"oops\n' } }]);
  });

  it('quoted fields with embedded newlines, commas and doubled quotes LOAD', async () => {
    const o = await load({ 'c.csv': 'customer_id,city,last_name\nC1,"Madrid, Centro","O""Brien\nJr."\nC2,Lisboa,Silva\n' }, src('customers', 'c.csv'));
    expect(o.results[0]).toMatchObject({ read: 2, loaded: 2, quarantined: 0 });
    expect(await o.keys('SELECT [city, last_name] FROM raw.customers ORDER BY customer_id')).toEqual([['Madrid, Centro', 'O"Brien\nJr.'], ['Lisboa', 'Silva']]);
  });

  it('UTF-8 BOM and CRLF line ends: header matched, values clean', async () => {
    const o = await load({ 'c.csv': '\ufeffcustomer_id,city\r\nC1,Málaga\r\nC2,"A\r\nB"\r\n' }, src('customers', 'c.csv'));
    expect(await o.keys('SELECT [customer_id, city] FROM raw.customers ORDER BY 1')).toEqual([['C1', 'Málaga'], ['C2', 'A\r\nB']]);
    expect(o.q).toEqual([]);
  });

  it('Latin-1 file with encoding: latin-1 → accents right', async () => {
    const o = await load({ 'c.csv': Buffer.from('customer_id;city;last_name\nC1;Logroño;Peña\nC2;São Paulo;Gonçalves\n', 'latin1') }, src('customers', 'c.csv', '    options: { encoding: latin-1 }\n'));
    expect(await o.keys('SELECT city || last_name FROM raw.customers ORDER BY customer_id')).toEqual(['LogroñoPeña', 'São PauloGonçalves']);
  });

  it('Windows-1252 file with encoding: windows-1252 → € “ ” – right (transcoded)', async () => {
    const bytes = Buffer.concat([Buffer.from('customer_id,city,last_name\nC1,'), Buffer.from([0x80, 0x20, 0x93, 0x51, 0x94, 0x2c, 0x96, 0xe9]), Buffer.from('\n')]);
    const o = await load({ 'c.csv': bytes }, src('customers', 'c.csv', '    options: { encoding: windows-1252 }\n'));
    expect(await o.keys('SELECT [city, last_name] FROM raw.customers')).toEqual([['€ “Q”', '–é']]);
    expect(o.results[0].file).toMatch(/c\.csv$/);
  });

  it('header-less file with header: false → columns named column0, column1, … mapped by position', async () => {
    const o = await load({ 'o.csv': '1,2026-01-02,web\n2,2026-01-03,app\n' }, orders('    options: { header: false }\n    columns: { order_id: column0, ordered_at: column1, channel: column2 }\n'));
    expect(await o.keys('SELECT order_id || channel FROM raw.orders ORDER BY 1')).toEqual(['1web', '2app']);
  });

  it('semicolon and tab delimiters are detected', async () => {
    const o = await load(
      { 'a.csv': 'order_id;ordered_at;campaign_id\n1;2026-01-02;"a,b"\n', 'b.csv': 'order_id\tordered_at\n2\t2026-01-02\n' },
      src('orders', 'a.csv') + src('orders', 'b.csv').replace('name: s', 'name: t'),
    );
    expect(await o.keys('SELECT order_id || coalesce(campaign_id, \'-\') FROM raw.orders ORDER BY 1')).toEqual(['1a,b', '2-']);
  });

  it('an empty file → status loaded, read 0', async () => {
    const o = await load({ 'o.csv': '' }, orders());
    expect(o.results[0]).toMatchObject({ status: 'loaded', read: 0, loaded: 0, quarantined: 0 });
  });

  it('a header-only file → status loaded, read 0', async () => {
    const o = await load({ 'o.csv': 'order_id,ordered_at\n' }, orders());
    expect(o.results[0]).toMatchObject({ status: 'loaded', read: 0, loaded: 0, quarantined: 0 });
  });

  it('binary garbage → that source fails naming the file; another source of the spec still loads', async () => {
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
    const o = await load({ 'o.csv': garbage, 'ok.csv': 'order_id,ordered_at\n1,2026-01-02\n' }, orders() + src('orders', 'ok.csv').replace('name: s', 'name: t'));
    expect(o.results.map((r) => r.status)).toEqual(['failed', 'loaded']);
    expect(o.results[0].message).toMatch(/cannot load .*o\.csv: not a text file/);
    expect(await o.keys('SELECT order_id FROM raw.orders')).toEqual(['1']);
  });

  it('a glob matching several files → each file loaded and audited separately', async () => {
    const o = await load(
      { 'o-1.csv': 'order_id,ordered_at\n1,2026-01-02\n', 'o-2.csv': 'order_id,ordered_at\n2,2026-01-02\n,2026-01-02\n' },
      src('orders', 'o-*.csv'),
    );
    expect(o.results.map((r) => [r.file.replace(/.*\//, ''), r.read, r.loaded, r.quarantined])).toEqual([['o-1.csv', 1, 1, 0], ['o-2.csv', 2, 1, 1]]);
    expect(await o.keys(`SELECT rows_read FROM meta.loads ORDER BY load_id`)).toEqual([1, 2]);
  });

  it('unknown extra columns are kept in extra', async () => {
    const o = await load({ 'o.csv': 'order_id,ordered_at,Gift Wrap,Note\n1,2026-01-02,yes,hi\n' }, orders());
    expect(await o.keys('SELECT extra FROM raw.orders')).toEqual([JSON.stringify({ 'Gift Wrap': 'yes', Note: 'hi' })]);
  });
});

describe('bad input: referential checks flag, not drop', () => {
  it('orders of an unknown customer and lines of an unknown order load and are counted as orphans', async () => {
    const o = await load(
      {
        'c.csv': 'customer_id\nC1\n',
        'o.csv': 'order_id,ordered_at,customer_id\n1,2026-01-02,C1\n2,2026-01-02,C9\n3,2026-01-02,\n',
        'l.csv': 'order_id,sku,quantity,unit_price\n1,A,1,2\n7,B,1,2\n',
      },
      src('customers', 'c.csv').replace('name: s', 'name: c') + orders() + src('order_lines', 'l.csv').replace('name: s', 'name: l'),
    );
    expect(o.results.map((r) => [r.source, r.loaded, r.quarantined, r.orphans])).toEqual([['c', 1, 0, 0], ['s', 3, 0, 1], ['l', 2, 0, 1]]);
    expect(await o.keys('SELECT rows_orphan FROM meta.loads ORDER BY load_id')).toEqual([0, 1, 1]);
  });
});
