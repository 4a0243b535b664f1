import { defineConfig } from 'vitest/config';

// Browser test of the live page: headless Debian Chromium (installed by infra/tools/ensure-chromium.sh
// in the test's beforeAll) driven by playwright-core. Screenshot: artifacts/live-page.png.
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['src/**/*.browser.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 900_000,
    fileParallelism: false,
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest/browser.json' },
  },
});
