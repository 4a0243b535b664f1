/**
 * @packageDocumentation
 * The logit-stream producer: feeds a Kafka topic with SPEC §2 events from a CSV file or a synthetic
 * drifting stream with label noise, at a given rate (`pnpm logit produce`).
 */
export { ProducerError } from './producer-error.js';
export type { EventItem, ProducedEvent } from './produced-event.js';
export { encodeEventValue, EVENT_ENCODINGS, type EventEncoding } from './event-value.js';
export { csvEvents, csvRowToEvent, type CsvEventsOptions } from './csv-events.js';
export { syntheticEvents, type SyntheticEventsOptions } from './synthetic-events.js';
export { TokenBucket, type TokenBucketOptions } from './token-bucket.js';
export { Progress, type ProgressOptions, type ProgressStream } from './progress.js';
export { produce, type ProduceOptions, type ProduceSummary } from './produce.js';
export { produceOptionsFromFlags, registerProduceCommand, type ProduceCommandHooks, type ProduceCommandIo } from './produce-command.js';
