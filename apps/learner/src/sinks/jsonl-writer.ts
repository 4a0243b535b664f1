import { createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { AppError } from '../app-error.js';

/**
 * Appends lines to a file (JSONL), buffering through a write stream and honouring its back-pressure:
 * `write` returns a promise only when the stream asks to wait for 'drain'.
 *
 * @example
 * const w = new JsonlWriter('scores.jsonl');
 * await w.write('{"id":"a"}');
 * await w.close();
 */
export class JsonlWriter {
  private readonly stream: WriteStream;
  private failure: Error | null = null;
  lines = 0;

  constructor(readonly path: string) {
    this.stream = createWriteStream(path, { flags: 'w', encoding: 'utf8', highWaterMark: 1 << 20 });
    this.stream.on('error', (e) => {
      this.failure = new AppError('io', `cannot write ${path}: ${e.message}; check the path and permissions`, { cause: e });
    });
  }

  /** Writes one line (a newline is added). Resolves at once unless the file buffer is full. */
  write(line: string): Promise<void> | undefined {
    if (this.failure) return Promise.reject(this.failure);
    this.lines++;
    if (this.stream.write(line + '\n')) return undefined;
    return new Promise<void>((resolve, reject) => {
      const onDrain = () => {
        this.stream.off('error', onError);
        resolve();
      };
      const onError = (e: Error) => {
        this.stream.off('drain', onDrain);
        reject(new AppError('io', `cannot write ${this.path}: ${e.message}`, { cause: e }));
      };
      this.stream.once('drain', onDrain);
      this.stream.once('error', onError);
    });
  }

  /** Flushes and closes the file. */
  close(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (this.failure) {
        reject(this.failure);
        return;
      }
      this.stream.end(() => (this.failure ? reject(this.failure) : resolve()));
    });
  }
}
