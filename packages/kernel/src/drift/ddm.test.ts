import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Ddm } from './ddm.js';

interface DdmRun {
  drifts: number[];
  warnings: number[];
}
// Made by scripts/reference/river-drift.py with river 0.26.1.
const fixture = JSON.parse(readFileSync(new URL('./fixtures/river-drift.json', import.meta.url), 'utf8')) as {
  docExamples: { ddmStream: number[]; ddm: DdmRun };
  bits: { stream: number[]; ddm: DdmRun };
};

function run(stream: readonly number[]): DdmRun {
  const ddm = new Ddm();
  const out: DdmRun = { drifts: [], warnings: [] };
  for (let i = 0; i < stream.length; i++) {
    ddm.update(stream[i]);
    if (ddm.warningDetected) out.warnings.push(i);
    if (ddm.driftDetected) out.drifts.push(i);
  }
  return out;
}

describe('Ddm', () => {
  it("matches River's docstring example: drift at 1334, first warnings at 1084 and (after the drift) 1492", () => {
    const got = run(fixture.docExamples.ddmStream);
    expect(got.drifts).toEqual([1334]);
    expect(got.drifts).toEqual(fixture.docExamples.ddm.drifts);
    expect(got.warnings).toEqual(fixture.docExamples.ddm.warnings);
    expect(got.warnings[0]).toBe(1084);
    expect(got.warnings.find((i) => i > 1334)).toBe(1492);
  });

  it("matches River's drift and warning indices on an error stream going from 10% to 30%", () => {
    const got = run(fixture.bits.stream);
    expect(got.drifts).toEqual(fixture.bits.ddm.drifts);
    expect(got.warnings).toEqual(fixture.bits.ddm.warnings);
  });

  it('state round trip gives identical next outputs', () => {
    const s = fixture.bits.stream;
    const a = new Ddm();
    for (let i = 0; i < 3050; i++) a.update(s[i]);
    const b = new Ddm();
    b.fromState(JSON.parse(JSON.stringify(a.toState())));
    for (let i = 3050; i < s.length; i++) {
      a.update(s[i]);
      b.update(s[i]);
      expect(b.driftDetected).toBe(a.driftDetected);
      expect(b.warningDetected).toBe(a.warningDetected);
    }
    expect(b.toState()).toEqual(a.toState());
  });

  it('runs the doc-comment example: error rate 10% → 50% at 1000 is detected within 200 events, never before', () => {
    const ddm = new Ddm();
    const hits: number[] = [];
    for (let i = 0; i < 2000; i++) {
      ddm.update(i < 1000 ? (i % 10 === 0 ? 1 : 0) : i % 2);
      if (ddm.driftDetected) hits.push(i);
    }
    expect(hits.length).toBeGreaterThan(0);
    expect(hits[0]).toBeGreaterThanOrEqual(1000);
    expect(hits[0]).toBeLessThan(1200);
  });

  it('rejects a drift threshold below the warning threshold', () => {
    expect(() => new Ddm({ warningThreshold: 3, driftThreshold: 2 })).toThrow(/warningThreshold 3.*driftThreshold 2/);
  });
});
