import { Partitioners } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { javaPartition, murmur2 } from './java-partition.js';

describe('murmur2', () => {
  it("matches the Java client's Utils.murmur2 on Kafka's own test vectors (exact integers)", () => {
    // org.apache.kafka.common.utils.UtilsTest#testMurmur2
    const cases: [string, number][] = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
      ['abc', 479470107],
    ];
    for (const [s, h] of cases) expect(murmur2(Buffer.from(s))).toBe(h);
  });
});

describe('javaPartition', () => {
  it("puts 2000 keys (lengths 0..40, every tail length) on kafkajs DefaultPartitioner's partition for 1, 3, 7 and 12 partitions", () => {
    const kafkajs = Partitioners.DefaultPartitioner();
    for (const n of [1, 3, 7, 12]) {
      const partitionMetadata = Array.from({ length: n }, (_, i) => ({ partitionId: i, leader: 0, partitionErrorCode: 0, replicas: [0], isr: [0] }));
      for (let i = 0; i < 2000; i++) {
        const key = Buffer.from(`e-${i}-${'x'.repeat(i % 37)}`);
        expect(javaPartition(key) % n).toBe(kafkajs({ topic: 't', partitionMetadata, message: { key, value: null } }));
      }
    }
  });

  it('is non-negative for keys whose hash is negative', () => {
    expect(murmur2(Buffer.from('21'))).toBeLessThan(0);
    expect(javaPartition(Buffer.from('21'))).toBe(-973932308 & 0x7fffffff);
  });
});
