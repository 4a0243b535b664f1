import { AppError } from '../app-error.js';

/**
 * Throws the CLI's 'bad-option' AppError (exit code 2): `<name> <value> is not allowed: use <allowed>`.
 *
 * @param name - where the value came from: the flag (`--rate`), the environment variable
 *   (`LOGIT_RATE`) or the config-file key (`rate (in cfg.json)`)
 * @param value - the value as given (JSON-quoted in the message)
 * @param allowed - what is allowed, e.g. 'a number >= 0'
 * @example
 * badSetting('--rate', 'fast', 'a number >= 0') // throws '--rate "fast" is not allowed: use a number >= 0'
 */
export function badSetting(name: string, value: unknown, allowed: string): never {
  throw new AppError('bad-option', `${name} ${JSON.stringify(value)} is not allowed: use ${allowed}`, { exitCode: 2 });
}
