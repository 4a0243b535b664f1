const TABLE = new Uint32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  TABLE[n] = c >>> 0;
}

/**
 * CRC-32C (Castagnoli polynomial 0x1EDC6F41, reflected, as in iSCSI, ext4 and Kafka record batches) of
 * `bytes`. Used to detect corruption of model snapshots: a CRC catches every burst error up to 32 bits
 * and misses random damage with probability 2^−32. It is not a cryptographic hash and does not protect
 * against deliberate tampering (a snapshot topic is trusted storage).
 *
 * @param bytes - the data
 * @param crc - the CRC of the preceding data, to checksum in pieces (default 0: start)
 * @returns the unsigned 32-bit CRC
 * @example
 * crc32c(new TextEncoder().encode('123456789')) // 0xe3069283
 */
export function crc32c(bytes: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]) & 255] ^ (c >>> 8);
  return ~c >>> 0;
}
