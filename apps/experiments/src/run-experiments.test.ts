import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runExperiments } from './run-experiments.js';

const dataDir = '../../../shared/data';
describe('runExperiments (quick)', () => {
  it('finds the shared data sets beside the repository', () => {
    expect(existsSync(`${dataDir}/spambase.csv`), `missing ${dataDir}/spambase.csv: the shared data folder ../shared/data must sit beside the repository`).toBe(true);
  });

  const a = runExperiments({ quick: true, dataDir });
  it('is deterministic: a second run gives byte-identical markdown and figures', () => {
    const b = runExperiments({ quick: true, dataDir });
    expect(b.markdown).toBe(a.markdown);
    expect(b.figures.map((f) => f.svg)).toEqual(a.figures.map((f) => f.svg));
  });
  it('has the seven sections, each with setup, a figure, a table and findings', () => {
    expect(a.reports.map((r) => r.id)).toEqual(['error-signal', 'entropy-floor', 'label-smoothing', 'noisy-labels', 'margins', 'implicit-bias', 'scale-out']);
    for (const r of a.reports) {
      expect(r.setup.length).toBeGreaterThan(0);
      expect(r.figures.length).toBeGreaterThan(0);
      expect(r.tables.length).toBeGreaterThan(0);
      expect(r.shows.length).toBeGreaterThan(0);
    }
  });
  it('links every figure with a caption, file names are unique and safe, every SVG has both axis labels and a title', () => {
    const names = a.figures.map((f) => f.file);
    expect(new Set(names).size).toBe(names.length);
    for (const f of a.figures) {
      expect(f.file).toMatch(/^[a-z0-9-]+\.svg$/);
      expect(a.markdown).toContain(`](figures/${f.file})`);
      expect(f.caption.length).toBeGreaterThan(30);
      expect(f.svg).toContain('<title>');
      // x label (centred under the plot) and rotated y label
      expect(f.svg).toMatch(/text-anchor="middle">[^<]+<\/text>\n<text x="16"/);
    }
  });
  it('marks the reduced run as reduced in the report', () => {
    expect(a.markdown).toContain('REDUCED run');
  });
});
