import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Workspace packages resolve to their TypeScript sources in tests (the `source` export condition),
  // so tests never depend on a stale or half-written dist/.
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['src/**/*.test.ts'],
    exclude: ['src/**/*.int.test.ts', 'src/**/*.browser.test.ts', 'node_modules/**', 'dist/**'],
    testTimeout: 20_000,
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest/unit.json' },
  },
});
