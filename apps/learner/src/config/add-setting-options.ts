import type { Command } from 'commander';
import { allowedText } from './resolved-settings.js';
import { settingHelp, type CommandName, type Setting } from './setting.js';
import { settingsFor } from './settings.js';

/**
 * The `--help` line of a setting: its help, what it takes (for choices and bounded numbers) and its
 * default, e.g. `optimizer: sgd|adagrad|ftrl (default: sgd)`. A help text that already states its
 * default keeps it.
 *
 * @example
 * helpLine(setting('optimizer'), 'run') // 'optimizer: sgd|adagrad|ftrl (default: sgd)'
 */
export function helpLine(s: Setting, command: CommandName): string {
  const help = settingHelp(s, command);
  const t = s.type;
  const allowed = t.kind === 'choice' ? `: ${t.values.join('|')}` : t.kind === 'number' && (t.min !== undefined || t.max !== undefined) ? `, ${allowedText(t).replace(/^an? /, '')}` : '';
  if (/\((default: [^)]*|required)\)/.test(help)) return `${help}${allowed}`;
  const d = s.default === null ? 'none' : String(s.default);
  return `${help}${allowed} (default: ${d})`;
}

/**
 * Adds the commander options of `command` from the schema (settings without a flag, such as the SASL
 * password, are read from the environment or the config file only). No commander defaults are set:
 * an option left out stays undefined, so that the environment and the config file can supply it.
 *
 * @param groups - only the settings of these groups (default: all)
 * @example
 * addSettingOptions(new Command('run'), 'run')
 */
export function addSettingOptions(cmd: Command, command: CommandName, groups?: readonly string[]): Command {
  for (const s of settingsFor(command)) {
    if (s.flag === null || (groups !== undefined && !groups.includes(s.group))) continue;
    cmd.option(s.flag, `${helpLine(s, command)} [env ${s.env}]`);
  }
  return cmd;
}
