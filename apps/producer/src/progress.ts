/** Where progress goes: a writable text stream (stderr), which may be a terminal. */
export interface ProgressStream {
  write(s: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** Settings of {@link Progress}. */
export interface ProgressOptions {
  readonly stream: ProgressStream;
  /** Events expected in total, or null when endless. */
  readonly total: number | null;
  /** What is produced where, e.g. 'events' (the topic). */
  readonly label: string;
  /** Milliseconds clock (default `performance.now`). */
  readonly clock?: () => number;
  /** Non-terminal output: one line every this many ms (default 5000). */
  readonly lineEveryMs?: number;
}

function fmtRate(r: number): string {
  return r >= 10_000 ? `${(r / 1000).toFixed(0)}k` : r.toFixed(0);
}

/**
 * Progress of a produce run on stderr: on a terminal a bar redrawn in place at most 10 times a second
 * (`[#####-----] 52%  1040/2000  980 ev/s  ETA 1s`); otherwise (a file, CI) one plain line every
 * `lineEveryMs`, so logs stay readable.
 *
 * @example
 * const p = new Progress({ stream: process.stderr, total: 2000, label: 'events' });
 * p.update(1000);
 * p.done(2000);
 */
export class Progress {
  private readonly o: ProgressOptions;
  private readonly clock: () => number;
  private readonly start: number;
  private lastDraw = Number.NEGATIVE_INFINITY;
  private drawn = false;

  constructor(o: ProgressOptions) {
    this.o = o;
    this.clock = o.clock ?? (() => performance.now());
    this.start = this.clock();
    if (o.stream.isTTY !== true) this.lastDraw = this.start;
  }

  /** The text of one progress report for `sent` events so far. */
  line(sent: number): string {
    const elapsed = Math.max(1e-9, (this.clock() - this.start) / 1000);
    const rate = sent / elapsed;
    const total = this.o.total;
    if (total === null || total <= 0) return `produce ${this.o.label}: ${sent} sent, ${fmtRate(rate)} ev/s`;
    const frac = Math.min(1, sent / total);
    const eta = rate > 0 ? Math.max(0, (total - sent) / rate) : Number.POSITIVE_INFINITY;
    const etaText = Number.isFinite(eta) ? `${eta.toFixed(0)}s` : '?';
    if (this.o.stream.isTTY !== true) return `produce ${this.o.label}: ${sent}/${total} (${(frac * 100).toFixed(0)}%), ${fmtRate(rate)} ev/s, ETA ${etaText}`;
    const width = Math.max(10, Math.min(40, (this.o.stream.columns ?? 80) - 50));
    const full = Math.round(frac * width);
    return `[${'#'.repeat(full)}${'-'.repeat(width - full)}] ${(frac * 100).toFixed(0).padStart(3)}%  ${sent}/${total}  ${fmtRate(rate)} ev/s  ETA ${etaText}`;
  }

  /** Reports `sent` events so far, if it is time to. */
  update(sent: number): void {
    const now = this.clock();
    const tty = this.o.stream.isTTY === true;
    if (now - this.lastDraw < (tty ? 100 : (this.o.lineEveryMs ?? 5000))) return;
    this.lastDraw = now;
    if (tty) {
      this.o.stream.write(`\r${this.line(sent)}\x1b[K`);
      this.drawn = true;
    } else {
      this.o.stream.write(`${this.line(sent)}\n`);
    }
  }

  /** Final report (always written), ending the bar's line. */
  done(sent: number): void {
    const tty = this.o.stream.isTTY === true;
    this.o.stream.write(tty ? `\r${this.line(sent)}\x1b[K\n` : `${this.line(sent)}\n`);
    this.drawn = false;
  }

  /** Whether a bar is on screen without its final newline. */
  get pending(): boolean {
    return this.drawn;
  }
}
