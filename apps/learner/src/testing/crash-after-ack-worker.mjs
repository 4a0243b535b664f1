/**
 * A producer thread for the threaded sink's integration test (lean-sink.int.test.ts): the built
 * dist/kafka/lean-sink-worker.js, except that the first such thread (no file at
 * `workerData.crashMarker` yet) dies right after the broker acknowledged its second send, instead of
 * answering it: the worst moment for duplicates and losses. It writes the marker first, so the thread
 * started after it works normally.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';

const marker = workerData.crashMarker;
if (typeof marker === 'string' && !existsSync(marker)) {
  const post = parentPort.postMessage.bind(parentPort);
  let acknowledged = 0;
  parentPort.postMessage = (m, transfer) => {
    // a send's answer carries its buffer; without an error the broker acknowledged every record
    if (m.buffer !== undefined && m.error === undefined && ++acknowledged === 2) {
      writeFileSync(marker, '');
      process.exit(1);
    }
    post(m, transfer);
  };
}
await import(new URL('../../dist/kafka/lean-sink-worker.js', import.meta.url).href);
