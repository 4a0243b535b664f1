const M = 0x5bd1e995;

/**
 * Kafka's murmur2 hash of a key, as the Java client's `Utils.murmur2` (seed 0x9747b28c), on 32-bit
 * integer arithmetic (no BigInt, no allocation).
 *
 * @param key the key bytes
 * @returns the signed 32-bit hash
 * @example
 * murmur2(Buffer.from('21')) // -973932308 (Kafka's UtilsTest)
 */
export function murmur2(key: Uint8Array): number {
  const n = key.length;
  let h = (0x9747b28c ^ n) | 0;
  const n4 = n & ~3;
  for (let i = 0; i < n4; i += 4) {
    let k = key[i] | (key[i + 1] << 8) | (key[i + 2] << 16) | (key[i + 3] << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  const tail = n & 3;
  if (tail > 0) {
    if (tail === 3) h ^= key[n4 + 2] << 16;
    if (tail >= 2) h ^= key[n4 + 1] << 8;
    h ^= key[n4];
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/**
 * The non-negative number the Java client's default partitioner reduces modulo the partition count
 * for a keyed record (`toPositive(murmur2(key))`), as kafkajs's DefaultPartitioner does: a record
 * lands on the same partition whichever of the clients wrote it.
 *
 * @param key the key bytes
 * @example
 * javaPartition(Buffer.from('e-17')) % 3 // the partition of 'e-17' in a 3-partition topic
 */
export function javaPartition(key: Uint8Array): number {
  return murmur2(key) & 0x7fffffff;
}
