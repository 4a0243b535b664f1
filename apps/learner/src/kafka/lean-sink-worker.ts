/**
 * The producer thread of createThreadedSink (`KAFKA_PRODUCER_CLIENT=lean-worker`): a lean sink made
 * from the settings in `workerData`, serving the learner's sends over `parentPort`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createLeanSink } from './lean-sink.js';
import { fromWorkerSettings, type WorkerSinkSettings } from './threaded-sink.js';
import { serveSink } from './threaded-sink-server.js';

if (parentPort === null) throw new Error('lean-sink-worker.js runs as a worker thread of createThreadedSink, not on its own');
serveSink(parentPort, createLeanSink(fromWorkerSettings(workerData as WorkerSinkSettings)));
