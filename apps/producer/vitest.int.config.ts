import { defineConfig } from 'vitest/config';

// Integration tests: real Kafka broker (KAFKA_BROKERS, set by infra/kafka/kafka.sh with-test-broker).
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['src/**/*.int.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest/int.json' },
  },
});
