import { createHash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { csvLine, type Value } from './csv-records.ts';

/** A temporary folder for one materialised source; `remove()` deletes it and everything in it. */
export async function tempFolder(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'scrm-source-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * Writes lines to a file with backpressure (waits for 'drain' when the stream's buffer is full), hashing what
 * it writes, so memory stays bounded whatever the size of the source.
 */
export class LineFile {
  private readonly out: WriteStream;
  private readonly hash = createHash('sha256');
  private failure: Error | undefined;

  constructor(readonly path: string) {
    this.out = createWriteStream(path);
    this.out.on('error', (err) => (this.failure = err));
  }

  async write(line: string): Promise<void> {
    if (this.failure) throw this.failure;
    this.hash.update(line);
    if (!this.out.write(line)) await once(this.out, 'drain');
  }

  /** Flushes and closes the file; returns the sha256 of everything written. */
  async close(): Promise<string> {
    if (this.failure) throw this.failure;
    this.out.end();
    await once(this.out, 'finish');
    return this.hash.digest('hex');
  }

  destroy(): void {
    this.out.destroy();
  }
}

/** A CSV file of records (see csv-records.ts) with its header; counts the records written. */
export class CsvRecordsFile {
  private readonly file: LineFile;
  records = 0;

  constructor(path: string, columns: readonly string[]) {
    this.file = new LineFile(path);
    this.header = this.file.write(csvLine(columns));
  }

  private readonly header: Promise<void>;

  async write(values: readonly Value[]): Promise<void> {
    await this.header;
    await this.file.write(csvLine(values));
    this.records++;
  }

  async close(): Promise<string> {
    await this.header;
    return this.file.close();
  }

  destroy(): void {
    this.file.destroy();
  }

  get path(): string {
    return this.file.path;
  }
}
