// The settings as a markdown table for docs/configuration.md (scripts/settings-table.ts writes it,
// test/settings/table.test.ts checks it is current).
import { SETTINGS, type SettingSpec } from './settings';

export const SETTINGS_START = '<!-- settings:start -->';
export const SETTINGS_END = '<!-- settings:end -->';

const code = (v: string | undefined): string => (v === undefined ? '' : `\`${v}\``);

function defaultCell(spec: SettingSpec): string {
  if (spec.required) return '(required)';
  if (spec.default === undefined) return 'none';
  const shown = code(String(spec.default));
  if (spec.defaultOn === undefined) return shown;
  return `${shown} (${spec.defaultOn.map((s) => (s === 'context' ? 'stack' : s === 'env' ? 'function' : 'CLI')).join(', ')})`;
}

/** One row per setting, in the module's order; columns padded as Biome formats markdown tables. */
export function renderSettingsTable(settings: Readonly<Record<string, SettingSpec>> = SETTINGS): string {
  const cell = (v: string) => v.replace(/\|/g, '\\|');
  const header = ['Setting', 'Context key', 'Environment variable', 'CLI flag', 'Default', 'Meaning'];
  const rows = Object.entries(settings).map(([name, s]) =>
    [name, code(s.context), code(s.env), code(s.flag), defaultCell(s), s.doc].map(cell),
  );
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** `markdown` with the region between the markers replaced by `table`; fails without the markers. */
export function replaceSettingsRegion(markdown: string, table: string): string {
  const start = markdown.indexOf(SETTINGS_START);
  const end = markdown.indexOf(SETTINGS_END);
  if (start < 0 || end < start) throw new Error(`expected ${SETTINGS_START} ... ${SETTINGS_END}`);
  return `${markdown.slice(0, start + SETTINGS_START.length)}\n${table}\n${markdown.slice(end)}`;
}
