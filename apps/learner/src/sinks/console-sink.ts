import type { Logger } from 'pino';
import type { OutputRecord, ResultSink } from '../io/types.js';
import type { Topics } from '../options.js';
import { JsonlWriter } from './jsonl-writer.js';

/** Settings of {@link ConsoleSink}. */
export interface ConsoleSinkOptions {
  readonly topics: Pick<Topics, 'scores' | 'metrics' | 'dlq'>;
  /** Where metrics reports go, one JSON line each (the process's stdout). */
  readonly stdout: { write(s: string): unknown };
  /** Also write every score record here as JSONL (default: scores are only counted). */
  readonly scoresOut?: string | null;
  readonly log: Logger;
  /** How many dead letters to log individually before only counting them (default 5). */
  readonly logRejections?: number;
}

/**
 * The sink of the embedded (no-Kafka) mode: metrics reports are printed as JSON lines on stdout,
 * scores are counted (and written to `scoresOut` when given), dead letters counted and the first
 * few logged with their reason.
 *
 * @example
 * const sink = new ConsoleSink({ topics, stdout: process.stdout, log });
 */
export class ConsoleSink implements ResultSink {
  scores = 0;
  metrics = 0;
  deadLetters = 0;
  private readonly writer: JsonlWriter | null;

  constructor(private readonly o: ConsoleSinkOptions) {
    this.writer = o.scoresOut ? new JsonlWriter(o.scoresOut) : null;
  }

  async send(records: readonly OutputRecord[]): Promise<void> {
    const { scores, metrics, dlq } = this.o.topics;
    const limit = this.o.logRejections ?? 5;
    for (let i = 0; i < records.length; i++) {
      const r = records[i];
      if (r.topic === scores) {
        this.scores++;
        if (this.writer) {
          const wait = this.writer.write(typeof r.value === 'string' ? r.value : r.value.toString('utf8'));
          if (wait) await wait;
        }
      } else if (r.topic === metrics) {
        this.metrics++;
        this.o.stdout.write(`${typeof r.value === 'string' ? r.value : r.value.toString('utf8')}\n`);
      } else if (r.topic === dlq) {
        this.deadLetters++;
        if (this.deadLetters <= limit) {
          this.o.log.warn({ deadLetter: typeof r.value === 'string' ? r.value : r.value.toString('utf8') }, 'event rejected');
        }
      }
    }
  }

  async close(): Promise<void> {
    if (this.writer) await this.writer.close();
  }
}
