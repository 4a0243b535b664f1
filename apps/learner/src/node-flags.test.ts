import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LEARNER_NODE_FLAGS } from './node-flags.js';

const root = new URL('../../../', import.meta.url);

describe('LEARNER_NODE_FLAGS', () => {
  it('are the flags the `pnpm logit` script starts the CLI with', () => {
    const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.logit).toContain(`node ${LEARNER_NODE_FLAGS.join(' ')} apps/learner/dist/cli.js`);
  });

  it('are accepted by this Node (a typo would stop the learner from starting)', () => {
    const r = spawnSync(process.execPath, [...LEARNER_NODE_FLAGS, '-e', 'process.stdout.write("ok")'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('ok');
    // and a misspelt V8 flag is refused the same way, so the check above can fail
    const bad = spawnSync(process.execPath, ['--min-semi-spaec-size=32', '-e', '0'], { encoding: 'utf8' });
    expect(bad.status).not.toBe(0);
  });
});
