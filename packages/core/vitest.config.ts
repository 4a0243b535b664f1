import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    exclude: ['src/**/*.int.test.ts', 'src/**/*.browser.test.ts', 'node_modules/**', 'dist/**'],
    testTimeout: 20_000,
  },
});
