import { badSetting } from './bad-setting.js';
import { readConfigFile, type ConfigFile } from './config-file.js';
import { flagName, type CommandName, type Setting } from './setting.js';
import { setting, settingsFor } from './settings.js';

/** Where a setting's value came from. */
export type SettingOrigin = 'flag' | 'env' | 'file' | 'default';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * What a value is allowed to be, as the messages and the reference say it.
 *
 * @example
 * allowedText({ kind: 'number', min: 0, minExclusive: true }) // 'a number > 0'
 */
export function allowedText(t: Setting['type']): string {
  switch (t.kind) {
    case 'number': {
      const kind = t.integer ? 'an integer' : 'a number';
      if (t.min !== undefined && t.max !== undefined) return `${kind} in [${t.min}, ${t.max}]`;
      if (t.min !== undefined) return `${kind} ${t.minExclusive ? '>' : '>='} ${t.min}`;
      if (t.max !== undefined) return `${kind} <= ${t.max}`;
      return kind;
    }
    case 'choice':
      return `one of ${t.values.join('|')}`;
    case 'string':
      return 'a non-empty string';
    case 'boolean':
      return 'true or false';
    case 'custom':
      return t.allowed;
  }
}

/**
 * Checks one raw value against its setting's type and returns it parsed; `undefined` stays undefined.
 *
 * @param s - the setting
 * @param raw - a string (flag, environment) or a JSON value (config file)
 * @param name - where it came from, for the message
 * @throws AppError 'bad-option' (exit code 2): `<name> <value> is not allowed: use <what is>`
 * @example
 * parseSetting(setting('rate'), '100', '--rate') // 100
 */
export function parseSetting(s: Setting, raw: unknown, name: string): unknown {
  if (raw === undefined) return undefined;
  const t = s.type;
  switch (t.kind) {
    case 'number': {
      if (typeof raw !== 'string' && typeof raw !== 'number') badSetting(name, raw, allowedText(t));
      const str = String(raw).trim();
      const v = str === '' ? Number.NaN : Number(str);
      const min = t.min ?? Number.NEGATIVE_INFINITY;
      const max = t.max ?? Number.POSITIVE_INFINITY;
      if (!Number.isFinite(v) || (t.integer && !Number.isInteger(v)) || v < min || v > max || (t.minExclusive && v <= min)) {
        badSetting(name, raw, allowedText(t));
      }
      return v;
    }
    case 'choice':
      if (typeof raw !== 'string' || !t.values.includes(raw)) badSetting(name, raw, allowedText(t));
      return raw;
    case 'string':
      if (typeof raw !== 'string' || raw.trim() === '') badSetting(name, raw, allowedText(t));
      return raw;
    case 'boolean': {
      if (typeof raw === 'boolean') return raw;
      const v = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
      if (v === 'true' || v === '1' || v === 'yes' || v === 'on') return true;
      if (v === 'false' || v === '0' || v === 'no' || v === 'off') return false;
      return badSetting(name, raw, 'true or false (or 1/0, yes/no, on/off)');
    }
    case 'custom': {
      const str = Array.isArray(raw) ? raw.join(',') : typeof raw === 'string' || typeof raw === 'number' ? String(raw) : null;
      if (str === null) badSetting(name, raw, t.allowed);
      return t.parse(str, name);
    }
  }
}

/**
 * The raw values of one command's settings with their origins, merged with the precedence
 * flag > environment > config file > default. Reading a setting checks it against the schema and
 * names, in any message, exactly where the bad value came from: the flag (`--learning-rate`), the
 * environment variable (`LOGIT_LEARNING_RATE`) or the file key (`learningRate (in cfg.json)`).
 *
 * @example
 * const s = ResolvedSettings.collect('run', { rate: '100' }, process.env);
 * s.get('rate') // 100
 * s.origin('rate') // 'flag'
 */
export class ResolvedSettings {
  private constructor(
    readonly command: CommandName,
    private readonly flags: Readonly<Record<string, unknown>>,
    /** The environment the settings were read from. */
    readonly env: Env,
    /** The config file read, or null without one. */
    readonly file: ConfigFile | null,
  ) {}

  /**
   * Collects the settings of `command`: `flags` as commander hands them over (undefined = not given),
   * the environment, and the config file named by `--config` or `LOGIT_CONFIG` (read now).
   *
   * @throws AppError 'bad-option' for an unreadable or malformed config file
   */
  static collect(command: CommandName, flags: Readonly<Record<string, unknown>>, env: Env = {}): ResolvedSettings {
    const bare = new ResolvedSettings(command, flags, env, null);
    const path = bare.get('config') as string | undefined;
    return path === undefined ? bare : new ResolvedSettings(command, flags, env, readConfigFile(path));
  }

  /** Where the value of `key` comes from. */
  origin(key: string): SettingOrigin {
    const s = setting(key);
    if (this.flags[key] !== undefined) return 'flag';
    const e = this.env[s.env];
    if (e !== undefined && e.trim() !== '') return 'env';
    if (this.file !== null && this.file.values[key] !== undefined && this.file.values[key] !== null) return 'file';
    return 'default';
  }

  /** How a message names the setting given its origin: flag, environment variable or file key. */
  name(key: string): string {
    const s = setting(key);
    switch (this.origin(key)) {
      case 'env':
        return s.env;
      case 'file':
        return `${key} (in ${this.file!.path})`;
      default:
        return flagName(s) ?? s.env;
    }
  }

  /** The raw value as given (undefined when not set anywhere). */
  raw(key: string): unknown {
    switch (this.origin(key)) {
      case 'flag':
        return this.flags[key];
      case 'env':
        return this.env[setting(key).env];
      case 'file':
        return this.file!.values[key];
      default:
        return undefined;
    }
  }

  /**
   * The checked value of `key`, or undefined when it is not set anywhere (the caller applies the
   * default: core's `resolveLearnerOptions` does for the learning options).
   *
   * @throws AppError 'bad-option' naming the setting as given, the value and what is allowed
   */
  get(key: string): unknown {
    return parseSetting(setting(key), this.raw(key), this.name(key));
  }

  /** Every setting of the command, with raw value and origin (for `logit config --print`). */
  entries(): { setting: Setting; origin: SettingOrigin; raw: unknown }[] {
    return settingsFor(this.command).map((s) => ({ setting: s, origin: this.origin(s.key), raw: this.raw(s.key) }));
  }
}
