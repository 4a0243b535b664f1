import { encodeBase64 } from '../state/base64.js';
import type { Rejection } from './types.js';

/** Longest `valueUtf8` preview in a DLQ record, in UTF-16 code units. */
export const DLQ_UTF8_PREVIEW_CHARS = 2048;
/**
 * Default `maxValueBytes`: at most 256 KiB of the value are kept (344 KiB as base64), so that a DLQ
 * record stays well under the broker's default `max.message.bytes` (1 MiB) even for a rejected
 * message that was itself near that limit; a record too large for the DLQ topic would fail every
 * send of its batch and so block its partition.
 */
export const DLQ_MAX_VALUE_BYTES = 262_144;
/** Default `maxKeyBytes`: the key is kept in the record up to this many bytes. */
export const DLQ_MAX_KEY_BYTES = 1024;

/** What {@link encodeDlqRecord} needs about one rejected input. */
export interface DlqRecordInput {
  /** The original message value (null for a tombstone). */
  readonly value: Uint8Array | null;
  /** The original key: bytes as received, a string, or null. */
  readonly key: Uint8Array | string | null;
  /** Where it came from; null fields for sources without them (e.g. a CSV file has no partition). */
  readonly topic: string | null;
  readonly partition: number | null;
  /** The message offset (Kafka offsets are decimal strings; a number, e.g. a CSV line, is written as a string). */
  readonly offset: string | number | null;
  /** Why it was rejected. */
  readonly rejection: Rejection;
  /** Epoch milliseconds of the rejection. */
  readonly ts: number;
  /**
   * Keep at most this many bytes of the value (default {@link DLQ_MAX_VALUE_BYTES}; `Infinity` keeps
   * all). Base64 grows data by 4/3, so a DLQ record of a message near the broker's
   * `max.message.bytes` would exceed it; keep this below ¾ of the DLQ topic's limit.
   */
  readonly maxValueBytes?: number;
  /** Keep at most this many bytes of a byte key in `key`/`keyBase64` (default {@link DLQ_MAX_KEY_BYTES}; a string key: code units). */
  readonly maxKeyBytes?: number;
}

const fatal = new TextDecoder('utf-8', { fatal: true });

/**
 * Writes the dead-letter record of a rejected input as JSON (the value of the `events-dlq` message, whose
 * key is the original key). Format, fields in this order:
 *
 * ```
 * {
 *   "error":  { "code": "label-range", "reason": "label 1.7 is outside [0,1] (event e-17)" },
 *   "source": { "topic": "events", "partition": 0, "offset": "42" },   // offset a string; nulls when unknown
 *   "key": "e-17",                        // the key as UTF-8 text, or null (absent, or not valid UTF-8)
 *   "keyBase64": "…",                     // only when the key bytes are not valid UTF-8
 *   "keyBytes": 5000, "keyTruncated": true, // only when maxKeyBytes cut the stored key (its full length)
 *   "value": "eyJpZCI6…",                 // the original value bytes, standard base64; null for a tombstone
 *   "valueBytes": 57,                     // length of the original value in bytes (null for a tombstone)
 *   "valueTruncated": true,               // only when maxValueBytes cut the stored value (default: over 256 KiB)
 *   "valueUtf8": "{\"id\":\"e-17\",…",    // only when the value is valid UTF-8: a readable preview,
 *   "valueUtf8Truncated": true,           //   at most 2048 code units (never splitting a pair); flag only when cut
 *   "ts": 1732300000000                   // when it was rejected
 * }
 * ```
 * `value` is the authority (exact bytes); `valueUtf8` is for people reading the topic.
 *
 * @param r - {@link DlqRecordInput}
 * @returns the JSON text
 * @example
 * encodeDlqRecord({ value: new TextEncoder().encode('{'), key: 'k', topic: 'events', partition: 0, offset: '7',
 *   rejection: { code: 'bad-json', reason: '…' }, ts: 0 })
 * // '{"error":{"code":"bad-json","reason":"…"},"source":{"topic":"events","partition":0,"offset":"7"},"key":"k","value":"ew==","valueBytes":1,"valueUtf8":"{","ts":0}'
 */
export function encodeDlqRecord(r: DlqRecordInput): string {
  const out: Record<string, unknown> = {
    error: { code: r.rejection.code, reason: r.rejection.reason },
    source: { topic: r.topic, partition: r.partition, offset: r.offset === null ? null : String(r.offset) },
  };
  const maxKey = Math.max(0, Math.floor(r.maxKeyBytes ?? DLQ_MAX_KEY_BYTES));
  if (r.key === null) out.key = null;
  else if (typeof r.key === 'string') {
    out.key = r.key.length > maxKey ? r.key.slice(0, maxKey) : r.key;
    if (r.key.length > maxKey) {
      out.keyBytes = r.key.length;
      out.keyTruncated = true;
    }
  } else {
    const kept = r.key.length > maxKey ? r.key.subarray(0, maxKey) : r.key;
    const text = utf8OrNull(kept);
    out.key = text;
    if (text === null) out.keyBase64 = encodeBase64(kept);
    if (kept.length < r.key.length) {
      out.keyBytes = r.key.length;
      out.keyTruncated = true;
    }
  }
  if (r.value === null) {
    out.value = null;
    out.valueBytes = null;
  } else {
    const max = r.maxValueBytes ?? DLQ_MAX_VALUE_BYTES;
    const kept = r.value.length > max ? r.value.subarray(0, Math.max(0, Math.floor(max))) : r.value;
    out.value = encodeBase64(kept);
    out.valueBytes = r.value.length;
    if (kept.length < r.value.length) out.valueTruncated = true;
    const text = utf8OrNull(r.value);
    if (text !== null) {
      if (text.length > DLQ_UTF8_PREVIEW_CHARS) {
        let end = DLQ_UTF8_PREVIEW_CHARS;
        const c = text.charCodeAt(end - 1);
        if (c >= 0xd800 && c <= 0xdbff) end--; // do not split a surrogate pair
        out.valueUtf8 = text.slice(0, end);
        out.valueUtf8Truncated = true;
      } else out.valueUtf8 = text;
    }
  }
  out.ts = r.ts;
  return JSON.stringify(out);
}

function utf8OrNull(b: Uint8Array): string | null {
  try {
    return fatal.decode(b);
  } catch {
    return null;
  }
}
