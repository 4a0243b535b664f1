import type { ResolvedSettings, SettingOrigin } from './resolved-settings.js';

/** One line of `logit config --print`. */
export interface EffectiveSetting {
  readonly key: string;
  /** The value in effect (the parsed value, or the documented default); `'***'` for a set secret. */
  readonly value: unknown;
  readonly origin: SettingOrigin;
  /** Where exactly: the flag, the environment variable, the config file, or 'default'. */
  readonly from: string;
}

/**
 * The effective configuration: every setting of the command with its value and where it came from,
 * secrets (the SASL password) masked as `***`. Call after validation (a bad value throws here too).
 *
 * @example
 * describeEffectiveConfig(ResolvedSettings.collect('run', { rate: '5' }, {})).find((e) => e.key === 'rate')
 * // { key: 'rate', value: 5, origin: 'flag', from: '--rate' }
 */
export function describeEffectiveConfig(s: ResolvedSettings): EffectiveSetting[] {
  return s.entries().map(({ setting, origin }) => {
    const from = origin === 'default' ? 'default' : origin === 'file' ? `config file ${s.file!.path}` : s.name(setting.key);
    let value: unknown = origin === 'default' ? setting.default : s.get(setting.key);
    if (setting.secret && origin !== 'default') value = '***';
    return { key: setting.key, value, origin, from };
  });
}

/**
 * Renders {@link describeEffectiveConfig} as an aligned text table (`setting  value  from`).
 *
 * @example
 * formatEffectiveConfig(describeEffectiveConfig(s), 'run') // '# logit run: effective configuration …\nlearningRate  0.05  default\n…'
 */
export function formatEffectiveConfig(rows: readonly EffectiveSetting[], command: string): string {
  const show = (v: unknown): string => (v === null ? '–' : typeof v === 'string' ? v : JSON.stringify(v));
  const table = rows.map((r) => [r.key, show(r.value), r.from]);
  const w0 = Math.max(7, ...table.map((t) => t[0].length));
  const w1 = Math.max(5, ...table.map((t) => t[1].length));
  const lines = [
    `# logit ${command}: effective configuration (precedence: flag > environment > config file > default; secrets masked)`,
    `${'setting'.padEnd(w0)}  ${'value'.padEnd(w1)}  from`,
    ...table.map((t) => `${t[0].padEnd(w0)}  ${t[1].padEnd(w1)}  ${t[2]}`),
  ];
  return `${lines.join('\n')}\n`;
}
