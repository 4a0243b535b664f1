import type { OutputRecord, ResultSink } from '../io/types.js';
import { JsonlWriter } from './jsonl-writer.js';

/**
 * A {@link ResultSink} that also appends every record of `scoresTopic` to a JSONL file, then passes
 * all records on to `inner` (the `--scores-out` of `run` on Kafka).
 *
 * @example
 * const sink = new ScoresFileTee(createKafkaSink({ kafka }), 'scores', 'scores.jsonl');
 */
export class ScoresFileTee implements ResultSink {
  private readonly writer: JsonlWriter;

  constructor(
    private readonly inner: ResultSink,
    private readonly scoresTopic: string,
    path: string,
  ) {
    this.writer = new JsonlWriter(path);
  }

  async send(records: readonly OutputRecord[]): Promise<void> {
    for (let i = 0; i < records.length; i++) {
      const r = records[i];
      if (r.topic !== this.scoresTopic) continue;
      const wait = this.writer.write(typeof r.value === 'string' ? r.value : r.value.toString('utf8'));
      if (wait) await wait;
    }
    await this.inner.send(records);
  }

  async close(): Promise<void> {
    try {
      await this.inner.close();
    } finally {
      await this.writer.close();
    }
  }
}
