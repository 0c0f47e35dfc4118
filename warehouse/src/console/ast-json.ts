import { randomBytes } from 'node:crypto';

/**
 * DuckDB's serialised parse trees hold 64-bit integers (query locations up to 2^64-1, BIGINT and HUGEINT
 * constants) that JSON.parse would round to the nearest double — and a rounded constant is another query.
 * Integers of 16 digits or more travel as marked strings instead and come back as the same digits. The
 * mark carries a per-process nonce, so no string of the query can pass for one.
 */
const MARK = `\u0000int:${randomBytes(6).toString('hex')}:`;

export function parseTree(text: string): unknown {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') {
      // Copy the string as it is, escapes included.
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (ch === '-' || (ch >= '0' && ch <= '9')) {
      const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400))!;
      const isBigInt = !m[1] && !m[2] && m[0].replace('-', '').length >= 16;
      out += isBigInt ? JSON.stringify(MARK + m[0]) : m[0];
      i += m[0].length;
    } else {
      out += ch;
      i++;
    }
  }
  return JSON.parse(out);
}

export function stringifyTree(tree: unknown): string {
  const marked = new RegExp(JSON.stringify(MARK).slice(0, -1).replace(/[\\^$.*+?()[\]{}|]/g, '\\$&') + '(-?\\d+)"', 'g');
  return JSON.stringify(tree).replace(marked, '$1');
}
