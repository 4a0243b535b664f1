import { isAscii } from 'node:buffer';
import { gunzipSync, gzipSync } from 'node:zlib';
import { CoreError, decodeSnapshot, encodeSnapshotBytes, type SnapshotPayload } from '@logit-stream/core';

/** The first two bytes of a gzip stream. */
const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;
/** Bounds of the inflate output buffer taken from the gzip trailer's size: zlib's minimum, and caps against a hostile trailer. */
const MIN_CHUNK = 64;
const MAX_CHUNK = 64 << 20;
/** Deflate expands at most about 1032:1. */
const MAX_RATIO = 1100;

/**
 * A model snapshot as a Kafka record value: core's versioned, CRC-32C-checksummed envelope
 * (`encodeSnapshot`), gzip-compressed. A hashed model of 2^18 slots is several MB of base64 text,
 * mostly runs of zeros, so gzip keeps it far below Kafka's 1 MiB default message size for sparse
 * models (the snapshots topic is also created with a larger `max.message.bytes` for dense ones).
 * The envelope's bytes come straight from core's `encodeSnapshotBytes` (no text, no copy), so the
 * record is the same bytes as gzip of the envelope text, at about a fifth of the CPU
 * (`src/bench/snapshot-bench.ts`). The envelope's memory (about 3 MB for 2^18 slots) is kept and
 * reused by the next call.
 *
 * @param payload - the snapshot (learner id, offsets, state, config)
 * @param level - gzip level (default 1: fastest; the zero runs compress well at any level)
 * @returns the record value
 * @example
 * const value = encodeSnapshotValue({ learnerId: 'l-0', createdAt: 0, offsets: [], state: learner.toState(), config: null });
 */
export function encodeSnapshotValue(payload: SnapshotPayload, level = 1): Buffer {
  const bytes = encodeSnapshotBytes(payload, envelopeMemory);
  // gzip has copied what it needs when it returns: the memory is free for the next snapshot
  const value = gzipSync(bytes, { level });
  envelopeMemory = new Uint8Array(bytes.buffer, bytes.byteOffset);
  return value;
}

/** The memory of the last envelope, reused by the next (writing 3 MB into fresh memory costs as much again in page faults). */
let envelopeMemory: Uint8Array | undefined;

/**
 * Reads a record value written by {@link encodeSnapshotValue} (a plain, uncompressed envelope is
 * accepted too), refusing anything it cannot trust.
 *
 * @param value - the record value
 * @returns the payload, restored exactly
 * @throws CoreError 'bad-snapshot' when the value is empty, its gzip stream is damaged, or core's
 *   `decodeSnapshot` refuses the envelope (bad JSON, format, version, checksum or field)
 * @example
 * decodeSnapshotValue(encodeSnapshotValue(payload)).offsets // payload.offsets
 */
export function decodeSnapshotValue(value: Buffer | null): SnapshotPayload {
  if (value === null || value.length === 0) {
    throw new CoreError('bad-snapshot', 'snapshot record has no value (a tombstone or an empty message); use an older snapshot');
  }
  let text: string;
  if (value[0] === GZIP_MAGIC_0 && value[1] === GZIP_MAGIC_1) {
    try {
      // One output buffer of the size the trailer states (ISIZE), instead of 16 KiB pieces joined at
      // the end: the same bytes, 40% less time for a 3 MB envelope. The size is only a hint.
      const size = value.length >= 18 ? value.readUInt32LE(value.length - 4) : 0;
      const raw = gunzipSync(value, { chunkSize: Math.max(MIN_CHUNK, Math.min(size, MAX_CHUNK, MAX_RATIO * value.length)) });
      text = utf8Text(raw);
    } catch (e) {
      throw new CoreError('bad-snapshot', `snapshot gzip stream is damaged (${(e as Error).message}); the snapshot is corrupt, use an older one`, { cause: e });
    }
  } else {
    text = utf8Text(value);
  }
  return decodeSnapshot(text);
}

/** `b.toString('utf8')`, by the faster one-byte path when every byte is ASCII (then both give the same string). */
function utf8Text(b: Buffer): string {
  return isAscii(b) ? b.toString('latin1') : b.toString('utf8');
}
