import { allowedText } from './resolved-settings.js';
import { flagName, settingHelp } from './setting.js';
import { SETTINGS } from './settings.js';

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/**
 * The configuration reference (docs/configuration.md), generated from the schema: one table per
 * group with each setting's flag, environment variable, config-file key, commands, what it takes,
 * its default and its help. `logit config --reference` prints it; a test keeps the file current.
 *
 * @example
 * configReferenceMarkdown().startsWith('# Configuration reference') // true
 */
export function configReferenceMarkdown(): string {
  const out: string[] = [
    '# Configuration reference',
    '',
    '<!-- Generated from apps/learner/src/config/settings.ts by `pnpm logit config --reference > docs/configuration.md`; do not edit by hand (a test fails when this file is stale). -->',
    '',
    'Every setting of `logit replay` and `logit run` can be given three ways; the first one found wins:',
    '',
    '1. a command-line flag (`--learning-rate 0.1`),',
    '2. an environment variable (`LOGIT_LEARNING_RATE=0.1`; the Kafka connection uses the `KAFKA_*` names),',
    '3. a JSON config file named by `--config FILE` or `LOGIT_CONFIG`: one object of settings by key,',
    '   e.g. `{ "learningRate": 0.1, "brokers": "127.0.0.1:9092", "driftDetectors": ["adwin", "ddm"] }`',
    '   (lists may be JSON arrays or comma strings; keys of the other command are ignored, unknown keys stop the start),',
    '',
    'and otherwise the default. Every value is checked at start: a bad one stops the command with exit code 2',
    'and a message naming the setting as it was given (flag, variable or file key), the value and what is allowed,',
    'e.g. `error: --learning-rate "-1" is not allowed: use a number > 0`.',
    '',
    '`pnpm logit config --print [--for run|replay] [flags]` shows the effective configuration, where each value',
    'came from, with secrets masked (`--json` for JSON).',
    '',
    'Settings without a flag (the Kafka SASL and TLS settings) are read from the environment or the config',
    'file only, so that secrets do not end up in shell history or process listings.',
    '',
  ];
  const groups = [...new Set(SETTINGS.map((s) => s.group))];
  for (const g of groups) {
    out.push(`## ${g[0].toUpperCase()}${g.slice(1)}`, '', '| flag | environment | file key | commands | takes | default | description |', '|---|---|---|---|---|---|---|');
    for (const s of SETTINGS.filter((x) => x.group === g)) {
      const flag = s.flag === null ? '–' : `\`${s.flag}\``;
      const d = s.default === null ? '–' : `\`${String(s.default)}\``;
      const help = s.commands.map((c) => settingHelp(s, c)).filter((h, i, a) => a.indexOf(h) === i);
      const desc = help.length === 1 ? help[0] : s.commands.map((c) => `${c}: ${settingHelp(s, c)}`).join('; ');
      const takes = s.type.kind === 'boolean' ? (s.flag === null ? 'true/false' : `switch (${flagName(s)}); env/file true/false`) : allowedText(s.type);
      out.push(
        `| ${flag} | \`${s.env}\` | \`${s.key}\` | ${s.commands.join(', ')} | ${cell(takes)} | ${cell(d)} | ${cell(desc)}${s.secret ? ' **secret**' : ''} |`,
      );
    }
    out.push('');
  }
  return `${out.join('\n')}`;
}
