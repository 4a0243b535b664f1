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
    const allowed = process.allowedNodeEnvironmentFlags;
    for (const f of LEARNER_NODE_FLAGS) expect(allowed.has(f.split('=')[0])).toBe(true);
  });
});
