#!/usr/bin/env node
// Sums the vitest JSON reports that `pnpm test` leaves in each workspace package's .vitest/ folder and
// prints one closing line, "Tests: N passed, N failed, N skipped". Exits 1 when a test failed or none ran.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
let passed = 0;
let failed = 0;
let skipped = 0;
const rows = [];
for (const group of ['packages', 'apps']) {
  for (const pkg of readdirSync(join(root, group))) {
    const dir = join(root, group, pkg, '.vitest');
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
      const report = JSON.parse(readFileSync(join(dir, file), 'utf8'));
      passed += report.numPassedTests;
      failed += report.numFailedTests;
      skipped += report.numPendingTests + (report.numTodoTests ?? 0);
      rows.push(`${group}/${pkg} ${file.replace('.json', '')}: ${report.numPassedTests} passed, ${report.numFailedTests} failed`);
    }
  }
}
for (const row of rows) console.log(`  ${row}`);
console.log(`Tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
