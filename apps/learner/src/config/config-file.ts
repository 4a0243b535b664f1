import { readFileSync } from 'node:fs';
import { AppError } from '../app-error.js';
import { SETTINGS } from './settings.js';

/** A config file's settings by key, as read (values not yet checked). */
export interface ConfigFile {
  readonly path: string;
  readonly values: Readonly<Record<string, unknown>>;
}

/**
 * Reads a JSON config file: one object of settings by key (`{ "learningRate": 0.1, "brokers":
 * "127.0.0.1:9092" }`; keys as in docs/configuration.md). Keys of other commands are allowed (one file
 * can serve `run` and `replay`); an unknown key, a nested object or a file that is not a JSON object
 * stops with a message naming the file and the key.
 *
 * @param path - the file (`--config` / `LOGIT_CONFIG`)
 * @throws AppError 'bad-option' (exit code 2)
 * @example
 * readConfigFile('logit.json').values.learningRate // 0.1
 */
export function readConfigFile(path: string): ConfigFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new AppError('bad-option', `cannot read the config file ${path} (${(e as NodeJS.ErrnoException).code ?? String(e)}): check --config / LOGIT_CONFIG`, {
      cause: e,
      exitCode: 2,
    });
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new AppError('bad-option', `the config file ${path} is not valid JSON (${(e as Error).message}): write one object of settings by key`, {
      cause: e,
      exitCode: 2,
    });
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw new AppError('bad-option', `the config file ${path} must hold one JSON object of settings by key, e.g. {"learningRate": 0.1}`, { exitCode: 2 });
  }
  const keys = new Set(SETTINGS.map((s) => s.key));
  for (const [k, x] of Object.entries(v)) {
    if (k === 'config' || !keys.has(k)) {
      const hint = k === 'config' ? 'a config file cannot name another one' : 'see docs/configuration.md for the keys';
      throw new AppError('bad-option', `unknown setting "${k}" in the config file ${path}: ${hint}`, { exitCode: 2 });
    }
    if (x !== null && typeof x === 'object' && !Array.isArray(x)) {
      throw new AppError('bad-option', `${k} (in ${path}) ${JSON.stringify(x)} is not allowed: use a string, number, boolean or list`, { exitCode: 2 });
    }
  }
  return { path, values: v as Record<string, unknown> };
}
