import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { transcodeWindows1252, windows1252ToUtf8 } from './transcode.ts';

describe('windows-1252 → UTF-8', () => {
  it('maps 0x80–0x9F to their Windows-1252 characters, not C1 controls', () => {
    const s = windows1252ToUtf8(Buffer.from([0x80, 0x82, 0x85, 0x8a, 0x91, 0x92, 0x93, 0x94, 0x96, 0x97, 0x99, 0x9c])).toString('utf8');
    expect(s).toBe('€‚…Š‘’“”–—™œ');
  });
  it('maps 0xA0–0xFF like Latin-1 and leaves ASCII alone', () => {
    expect(windows1252ToUtf8(Buffer.from('Peña, São; ', 'latin1')).toString('utf8')).toBe('Peña, São; ');
    expect(windows1252ToUtf8(Buffer.from('plain,ascii\n')).toString('utf8')).toBe('plain,ascii\n');
  });
  it('undefined bytes become the C1 control of the same value (as WHATWG decoders do)', () => {
    expect([...windows1252ToUtf8(Buffer.from([0x81, 0x9d])).toString('utf8')].map((c) => c.codePointAt(0))).toEqual([0x81, 0x9d]);
  });
  it('streams a file into a temporary UTF-8 copy and removes it on cleanup', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scrm-tc-'));
    const f = join(dir, 'in.csv');
    writeFileSync(f, Buffer.concat([Buffer.from('a,b\n'), Buffer.from([0x80, 0x2c, 0xe9, 0x0a])]));
    const t = await transcodeWindows1252(f);
    expect(readFileSync(t.path, 'utf8')).toBe('a,b\n€,é\n');
    await t.cleanup();
    expect(existsSync(t.path)).toBe(false);
  });
});
