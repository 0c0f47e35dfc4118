/**
 * Progress of long work on stderr: a bar with percent, rows/s and ETA redrawn in place on a terminal;
 * plain log lines at most every few seconds when stderr is a file or a pipe (CI logs stay readable).
 */
export function progressText(label: string, percent: number | null, elapsedMs: number, rows?: number): string {
  const parts = [label];
  if (percent !== null && percent > 0) {
    const width = 24;
    const filled = Math.round((Math.min(percent, 100) / 100) * width);
    parts.push(`[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${percent.toFixed(0).padStart(3)}%`);
    if (percent < 100) parts.push(`ETA ${formatDuration((elapsedMs * (100 - percent)) / percent)}`);
  } else {
    parts.push('…');
  }
  if (rows && elapsedMs > 0) parts.push(`${Math.round(rows / (elapsedMs / 1000)).toLocaleString('en-US')} rows/s`);
  parts.push(formatDuration(elapsedMs));
  return parts.join('  ');
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

export class Progress {
  private startedAt = performance.now();
  private label = '';
  private lastPlain = 0;
  private drawn = false;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr, private readonly plainEveryMs = 5000) {}

  start(label: string): void {
    this.clear();
    this.label = label;
    this.startedAt = performance.now();
    this.lastPlain = performance.now();
    // Without a terminal there is no bar: say what begins, so a log shows where long work stands.
    if (!this.stream.isTTY) this.stream.write(label + '\n');
  }

  update(percent: number | null, rows?: number): void {
    const text = progressText(this.label, percent, performance.now() - this.startedAt, rows);
    if (this.stream.isTTY) {
      this.stream.write(`\r\x1b[2K${text.slice(0, (this.stream.columns ?? 100) - 1)}`);
      this.drawn = true;
    } else if (performance.now() - this.lastPlain >= this.plainEveryMs) {
      this.stream.write(text + '\n');
      this.lastPlain = performance.now();
    }
  }

  /** Prints a line above the bar (or as a plain line). */
  log(line: string): void {
    this.clear();
    this.stream.write(line + '\n');
  }

  clear(): void {
    if (this.drawn) this.stream.write('\r\x1b[2K');
    this.drawn = false;
  }
}
