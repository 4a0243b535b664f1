import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/bench/learner-bench.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
});
