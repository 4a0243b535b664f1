/** The commands whose options come from the schema. */
export type CommandName = 'run' | 'replay';

/**
 * What values a setting takes. The readers in `read-setting.ts` check them and say what is allowed.
 *
 * - `number`: a finite number, optionally an integer, within bounds.
 * - `choice`: one of `values`.
 * - `string`: a non-empty string (topic names, ids, paths, hosts).
 * - `boolean`: a switch (a flag without value; `true/false`, `1/0`, `yes/no`, `on/off` in the environment).
 * - `custom`: a string checked by `parse` (lists such as `--noise-rates r0,r1`, broker lists);
 *   `allowed` describes what it takes, for the reference and the messages.
 */
export type SettingType =
  | { readonly kind: 'number'; readonly integer?: boolean; readonly min?: number; readonly max?: number; readonly minExclusive?: boolean }
  | { readonly kind: 'choice'; readonly values: readonly string[] }
  | { readonly kind: 'string' }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'custom'; readonly allowed: string; readonly parse: (raw: string, name: string) => unknown };

/**
 * One setting of the `logit` commands, from which the command-line flag (commander option with help
 * and default), the environment variable and the config-file key are all derived.
 *
 * - `key`: camelCase; the config-file key and commander's attribute name (`--learning-rate` → `learningRate`).
 * - `flag`: the long flag with its argument, e.g. `'--learning-rate <eta>'`; null for settings that are
 *   only read from the environment or the config file (secrets such as the SASL password).
 * - `env`: the environment variable, e.g. `LOGIT_LEARNING_RATE` or `KAFKA_BROKERS`.
 * - `commands`: which commands take it.
 * - `help`: one line for `--help` and the reference (per command when they differ).
 * - `default`: as shown in `--help` and the reference; `null` = none. Applied by the code that reads the
 *   setting (core's `resolveLearnerOptions` for the learning options).
 * - `secret`: masked in `logit config --print` and never logged.
 * - `group`: the section of the configuration reference.
 *
 * @example
 * const s: Setting = { key: 'rate', flag: '--rate <events/s>', env: 'LOGIT_RATE', commands: ['run'],
 *   type: { kind: 'number', min: 0 }, help: 'embedded source: events per second, 0 = as fast as possible', default: 0, group: 'embedded source' };
 */
export interface Setting {
  readonly key: string;
  readonly flag: string | null;
  readonly env: string;
  readonly commands: readonly CommandName[];
  readonly type: SettingType;
  readonly help: string | Readonly<Partial<Record<CommandName, string>>>;
  readonly default: string | number | boolean | null;
  readonly secret?: boolean;
  readonly group: string;
}

/**
 * The help line of a setting for one command.
 *
 * @example
 * settingHelp(setting, 'run') // 'input topic'
 */
export function settingHelp(s: Setting, command: CommandName): string {
  if (typeof s.help === 'string') return s.help;
  return s.help[command] ?? Object.values(s.help)[0] ?? '';
}

/**
 * The long flag of a setting without its argument (`'--learning-rate'`), or null.
 *
 * @example
 * flagName({ flag: '--learning-rate <eta>' } as Setting) // '--learning-rate'
 */
export function flagName(s: Pick<Setting, 'flag'>): string | null {
  return s.flag === null ? null : s.flag.split(' ')[0];
}
