import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerEvaluateCommand } from './evaluate-command.js';
import { EvaluationError } from './evaluation-error.js';

function program(): { p: Command; out: string[]; err: string[]; result: { code: number } } {
  const out: string[] = [];
  const err: string[] = [];
  const result = { code: -1 };
  const p = new Command('logit').exitOverride().configureOutput({ writeOut: (s) => out.push(s), writeErr: (s) => err.push(s) });
  registerEvaluateCommand(p, { stdout: { write: (s) => out.push(s) }, stderr: { write: (s) => err.push(s) } }, result);
  return { p, out, err, result };
}

describe('registerEvaluateCommand', () => {
  it('adds `evaluate` with --quick, --seeds, --out, --data-dir and --only', () => {
    const { p } = program();
    const cmd = p.commands.find((c) => c.name() === 'evaluate');
    expect(cmd?.options.map((o) => o.long)).toEqual(['--quick', '--seeds', '--out', '--data-dir', '--only']);
  });

  it('refuses a bad --seeds or --only with a bad-option EvaluationError before running anything', async () => {
    const a = program();
    const e1 = await a.p.parseAsync(['evaluate', '--seeds', '0'], { from: 'user' }).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(EvaluationError);
    expect((e1 as EvaluationError).code).toBe('bad-option');
    expect((e1 as Error).message).toMatch(/--seeds "0" is not allowed/);
    const b = program();
    const e2 = await b.p.parseAsync(['evaluate', '--only', 'noise,speed'], { from: 'user' }).catch((e: unknown) => e);
    expect((e2 as Error).message).toMatch(/--only "speed" is not an experiment/);
    expect(a.result.code).toBe(-1);
  });

  it('fails with exit code 1 and a message naming the missing data file', async () => {
    const a = program();
    const e = await a.p
      .parseAsync(['evaluate', '--quick', '--only', 'noise', '--data-dir', '/nonexistent-data'], { from: 'user' })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(EvaluationError);
    expect((e as EvaluationError).exitCode).toBe(1);
    expect((e as Error).message).toMatch(/\/nonexistent-data\/breast_cancer_wdbc\.csv is missing/);
  });
});
