import { encodeBinaryEvent } from '@logit-stream/core';
import type { ProducedEvent } from './produced-event.js';

/** How the producer writes each event's message value. */
export type EventEncoding = 'json' | 'binary';
/** Every {@link EventEncoding}, for validation and `--help`. */
export const EVENT_ENCODINGS: readonly EventEncoding[] = ['json', 'binary'];

/**
 * The Kafka message value of one event: SPEC §2 JSON text (`json`, the default and the contract), or
 * the binary event encoding of docs/event-encoding.md (`binary`: smaller and several times faster for
 * the learner to decode; the learner tells the two apart per message).
 *
 * @param event the event
 * @param encoding `json` or `binary`
 * @returns a string (JSON) or a Buffer viewing the encoded bytes (binary)
 * @example
 * encodeEventValue({ id: 'e-1', features: [0.5], label: 1 }, 'json');   // '{"id":"e-1","features":[0.5],"label":1}'
 * encodeEventValue({ id: 'e-1', features: [0.5], label: 1 }, 'binary')[0]; // 0xb1
 */
export function encodeEventValue(event: ProducedEvent, encoding: EventEncoding): string | Buffer {
  if (encoding === 'json') return JSON.stringify(event);
  const bytes = encodeBinaryEvent(event);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}
