import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/cli.ts', 'src/kafka/lean-sink-worker.ts', 'src/bench/kafka-bench.ts', 'src/bench/group-bench.ts', 'src/bench/pipeline-bench.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
});
