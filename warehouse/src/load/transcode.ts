import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Windows-1252 → UTF-8. DuckDB's read_csv knows utf-8, latin-1 and utf-16 only, and Node's TextDecoder
 * treats "windows-1252" as Latin-1 (0x80 → U+0080 instead of €), so the table is ours. Every byte maps
 * on its own, so chunks convert independently: one streaming pass, constant memory.
 */

/** Code points of bytes 0x80–0x9F (undefined bytes 0x81, 0x8D, 0x8F, 0x90, 0x9D map to the C1 control of the same value, as WHATWG does). */
const HIGH = [
  0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d, 0x017d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x9d, 0x017e, 0x0178,
];

/** UTF-8 bytes of every Windows-1252 byte. */
const TABLE: Buffer[] = Array.from({ length: 256 }, (_, b) =>
  Buffer.from(String.fromCodePoint(b >= 0x80 && b < 0xa0 ? HIGH[b - 0x80] : b), 'utf8'),
);

/** Converts one chunk of Windows-1252 bytes to UTF-8. Pure. */
export function windows1252ToUtf8(input: Uint8Array): Buffer {
  let ascii = true;
  for (let i = 0; i < input.length; i++) if (input[i] >= 0x80) { ascii = false; break; }
  if (ascii) return Buffer.from(input);
  const out = Buffer.allocUnsafe(input.length * 3);
  let o = 0;
  for (let i = 0; i < input.length; i++) {
    const b = input[i];
    if (b < 0x80) out[o++] = b;
    else {
      const t = TABLE[b];
      for (let k = 0; k < t.length; k++) out[o++] = t[k];
    }
  }
  return out.subarray(0, o);
}

export interface Transcoded {
  /** The UTF-8 copy. */
  path: string;
  cleanup(): Promise<void>;
}

/** Streams `file` (Windows-1252) into a UTF-8 temporary file; the caller removes it with `cleanup`. */
export async function transcodeWindows1252(file: string): Promise<Transcoded> {
  const dir = await mkdtemp(join(tmpdir(), 'scrm-cp1252-'));
  const path = join(dir, basename(file).replace(/\.[^.]*$/, '') + '.utf8.csv');
  const cleanup = () => rm(dir, { recursive: true, force: true });
  try {
    await pipeline(
      createReadStream(file, { highWaterMark: 1 << 20 }),
      new Transform({
        transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
          done(null, windows1252ToUtf8(chunk));
        },
      }),
      createWriteStream(path),
    );
  } catch (err) {
    await cleanup();
    throw err;
  }
  return { path, cleanup };
}
