/**
 * The metrics/health HTTP server binds 127.0.0.1 unless told otherwise, checked from outside the
 * process: the built CLI (`node dist/cli.js run --http-port 0` on the embedded stream, no broker
 * needed) is asked for /health on 127.0.0.1 and on this machine's non-loopback address, which must
 * refuse the connection; with `--http-host 0.0.0.0` the same address answers (so the check can fail).
 * Needs a build (turbo's test:int task builds first).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { networkInterfaces } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const cliPath = resolve(here, '../dist/cli.js');

/** The first non-internal IPv4 address of this machine, or null when it has none. */
function outsideAddress(): string | null {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return null;
}

/** GET http://host:port/health; resolves with the status code or the connection error's code. */
function health(host: string, port: number): Promise<number | string> {
  return new Promise((done) => {
    const req = request({ host, port, path: '/health', timeout: 3000 }, (res) => {
      res.resume();
      done(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    req.on('error', (e: NodeJS.ErrnoException) => done(e.code ?? e.message));
    req.end();
  });
}

let child: ChildProcess | null = null;

/** Starts the CLI with the metrics server on a free port; resolves with the host:port it logged. */
function start(extra: string[]): Promise<{ host: string; port: number }> {
  return new Promise((done, fail) => {
    const env: Record<string, string | undefined> = { ...process.env };
    delete env.KAFKA_BROKERS; // the embedded stream
    child = spawn(process.execPath, [cliPath, 'run', '--http-port', '0', ...extra, '--rate', '100', '--log-level', 'info'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    const timer = setTimeout(() => fail(new Error(`no 'metrics server listening' line within 20 s; stderr:\n${stderr.slice(-3000)}`)), 20_000);
    child.stderr!.setEncoding('utf8').on('data', (s: string) => {
      stderr += s;
      const m = /"url":"http:\/\/([^"/]+):(\d+)\/"/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        done({ host: m[1], port: Number(m[2]) });
      }
    });
    child.on('exit', (code) => fail(new Error(`logit run exited (${code}) before listening; stderr:\n${stderr.slice(-3000)}`)));
  });
}

beforeAll(() => {
  if (!existsSync(cliPath)) throw new Error(`${cliPath} is missing: build the learner first (npx turbo run build --filter=@logit-stream/learner...)`);
});

afterEach(async () => {
  const c = child;
  child = null;
  if (c !== null && c.exitCode === null) {
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    await exited;
  }
});

describe('HTTP endpoints bind 127.0.0.1 by default (built CLI, checked from outside)', () => {
  const outside = outsideAddress();

  it(`default: /health answers on 127.0.0.1 and the non-loopback address ${outside ?? '(none on this machine)'} refuses`, async () => {
    const { host, port } = await start([]);
    expect(host).toBe('127.0.0.1');
    expect(await health('127.0.0.1', port)).toBe(200);
    if (outside !== null) expect(await health(outside, port)).toBe('ECONNREFUSED');
  }, 40_000);

  it('--http-host 0.0.0.0 (told otherwise): the non-loopback address answers', async () => {
    const { host, port } = await start(['--http-host', '0.0.0.0']);
    expect(host).toBe('0.0.0.0');
    expect(await health(outside ?? '127.0.0.1', port)).toBe(200);
  }, 40_000);
});
