import type { Command } from 'commander';
import { replayConfigFromFlags, runConfigFromSettings, type RawFlags } from '../options.js';
import { helpLine } from './add-setting-options.js';
import { configReferenceMarkdown } from './config-reference.js';
import { describeEffectiveConfig, formatEffectiveConfig } from './describe-config.js';
import { ResolvedSettings } from './resolved-settings.js';
import type { CommandName } from './setting.js';
import { SETTINGS } from './settings.js';
import { AppError } from '../app-error.js';

/**
 * Registers `logit config`: `--print` validates the settings of `run` (or `--for replay`) from the
 * given flags, the environment and the config file, and prints the effective configuration with
 * where each value came from, secrets masked (`--json` for JSON); `--reference` prints the
 * configuration reference (docs/configuration.md) generated from the schema.
 *
 * @example
 * registerConfigCommand(program, io, result) // then: logit config --print --learning-rate 0.1
 */
export function registerConfigCommand(
  program: Command,
  io: { stdout: { write(s: string): unknown }; env: Readonly<Record<string, string | undefined>> },
  result: { code: number },
): Command {
  const cmd = program
    .command('config')
    .description('show the effective configuration (--print) or the configuration reference (--reference)')
    .option('--print', 'print the effective settings, where each came from, secrets masked (default: on)')
    .option('--json', 'with --print: one JSON array instead of a table (default: off)')
    .option('--reference', 'print the configuration reference in Markdown (docs/configuration.md) (default: off)')
    .option('--for <command>', 'the command whose settings to print: run|replay (default: run)');
  const seen = new Set<string>();
  for (const s of SETTINGS) {
    if (s.flag === null || seen.has(s.key)) continue;
    seen.add(s.key);
    cmd.option(s.flag, `${helpLine(s, s.commands.includes('run') ? 'run' : 'replay')} [env ${s.env}]`);
  }
  return cmd.action((flags: RawFlags) => {
    if (flags.reference === true) {
      io.stdout.write(configReferenceMarkdown());
      result.code = 0;
      return;
    }
    const forRaw = flags.for ?? 'run';
    if (forRaw !== 'run' && forRaw !== 'replay') {
      throw new AppError('bad-option', `--for ${JSON.stringify(forRaw)} is not allowed: use one of run|replay`, { exitCode: 2 });
    }
    const command: CommandName = forRaw;
    const settingFlags: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(flags)) if (!['print', 'json', 'reference', 'for'].includes(k)) settingFlags[k] = v;
    const s = ResolvedSettings.collect(command, settingFlags, io.env);
    // Validate exactly as the command would at start.
    if (command === 'run') runConfigFromSettings(s);
    else replayConfigFromFlags(settingFlags, io.env);
    const rows = describeEffectiveConfig(s);
    io.stdout.write(flags.json === true ? `${JSON.stringify(rows, null, 2)}\n` : formatEffectiveConfig(rows, command));
    result.code = 0;
  });
}
