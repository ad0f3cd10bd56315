// Building blocks of the HTML email, in one place so every section looks alike. Mail-client
// rules: table layout, inline styles only, nothing remote. Cells are HTML that is already escaped.
import { countryLabel, countryName, formatCount } from './format';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** A run this long with no space or hyphen gets a break opportunity every 10 characters. */
const LONG_WORD = /[^\s\-\u2011/]{25,}/g;
const ZERO_WIDTH_SPACE = '\u200b';

function breakEvery(text: string, n: number): string {
  return (text.match(new RegExp(`.{1,${n}}`, 'gsu')) ?? [text]).join(ZERO_WIDTH_SPACE);
}

export function escapeHtml(value: string): string {
  return value.replace(LONG_WORD, (word) => breakEvery(word, 10)).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** An id over 12 characters (agent ids run to 20) may break every 10: it sits in a narrow column. */
export function escapeId(id: string): string {
  return escapeHtml(id.length > 12 ? breakEvery(id, 10) : id);
}

export const FONT = "font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;";
export const MONO = "font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,'Liberation Mono',monospace;";
export const INK = '#111827';
export const MUTED = '#6b7280';
export const FAINT = '#9ca3af';
export const LINE = '#e5e7eb';
export const RED = '#b91c1c';
export const RED_BG = '#fef2f2';
export const GREEN = '#047857';
export const GREEN_BG = '#ecfdf5';
export const AMBER = '#92400e';
export const AMBER_BG = '#fffbeb';
export const BLUE = '#1d4ed8';
export const PAGE_BG = '#f3f4f6';

export interface Tone {
  fg: string;
  bg: string;
}
export const NEUTRAL: Tone = { fg: INK, bg: '#f9fafb' };
export const BAD: Tone = { fg: RED, bg: RED_BG };
export const GOOD: Tone = { fg: GREEN, bg: GREEN_BG };
export const WARN: Tone = { fg: AMBER, bg: AMBER_BG };

export const TABLE = 'role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"';
const DATA_TABLE = `width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;${FONT}"`;

export type Align = 'left' | 'right';

export interface Column {
  label: string;
  align: Align;
  /** Optional width hint, e.g. "34%". */
  width?: string;
  /** Text that may wrap (API text, a right-aligned note): the cells are not kept on one line. */
  wrap?: boolean;
}

export type Cell = string;

export interface TableOptions {
  totals?: Cell[];
  padding?: string;
  /** Let header labels wrap and use a smaller type: the only way six columns fit a 375 px phone. */
  compact?: boolean;
}

const NON_BREAKING_HYPHEN = '\u2011';

function th(col: Column, padding: string, wrap: boolean): string {
  const width = col.width ? ` width="${col.width}"` : '';
  // U+2011 looks like "-" but never breaks, so "Toll-free" stays whole in a header that may wrap
  // (compact tables) or in a client that ignores nowrap.
  const label = escapeHtml(col.label).replace(/-/g, NON_BREAKING_HYPHEN);
  const style = [
    `padding:${padding};font-size:12px;line-height:15px;font-weight:600;color:${MUTED};text-align:${col.align};`,
    `border-bottom:2px solid ${LINE};`,
  ].join('');
  // The nowrap attribute, not white-space: Outlook for Windows ignores the CSS.
  return `<th align="${col.align}"${width}${wrap ? '' : ' nowrap'} valign="bottom" style="${style}">${label}</th>`;
}

function td(cell: Cell, col: Column | undefined, padding: string, extra = '', fontSize = 13): string {
  const align = col?.align ?? 'left';
  const style = [
    `padding:${padding};font-size:${fontSize}px;line-height:${fontSize + 5}px;color:${INK};text-align:${align};`,
    `border-bottom:1px solid ${LINE};${extra}`,
  ].join('');
  return `<td align="${align}"${oneLine(col) ? ' nowrap' : ''} valign="top" style="${style}">${cell}</td>`;
}

/** Figures stay on one line (the nowrap attribute: Outlook for Windows ignores white-space). */
function oneLine(col: Column | undefined): boolean {
  return col?.align === 'right' && col.wrap !== true;
}

function cellStyle(col: Column | undefined): string {
  return oneLine(col) ? 'font-variant-numeric:tabular-nums;' : '';
}

export function dataTable(columns: Column[], rows: Cell[][], options: TableOptions = {}): string {
  const padding = options.padding ?? '7px 8px';
  const compact = options.compact === true;
  const size = compact ? 12 : 13;
  const head = `<tr>${columns.map((c) => th(c, padding, compact)).join('')}</tr>`;
  const body = rows
    .map((r) => `<tr>${r.map((cell, i) => td(cell, columns[i], padding, cellStyle(columns[i]), size)).join('')}</tr>`)
    .join('');
  const totals = options.totals
    ? `<tr>${options.totals
        .map((cell, i) =>
          td(
            cell,
            columns[i],
            padding,
            `${cellStyle(columns[i])}font-weight:700;border-top:2px solid ${LINE};border-bottom:0;`,
            size,
          ),
        )
        .join('')}</tr>`
    : '';
  return `<table ${DATA_TABLE}>${head}${body}${totals}</table>`;
}

/** A count that fades when zero, so the eye goes to what is there. */
export function count(n: number): Cell {
  return n === 0 ? `<span style="color:${FAINT};">0</span>` : formatCount(n);
}

export function heading(text: string, note?: string): string {
  const sub = note
    ? `<p style="margin:2px 0 0 0;font-size:13px;line-height:19px;color:${MUTED};${FONT}">${note}</p>`
    : '';
  return `<h2 style="margin:0;font-size:16px;line-height:22px;font-weight:700;color:${INK};${FONT}">${escapeHtml(text)}</h2>${sub}`;
}

export function subheading(text: string, color = INK): string {
  return `<h3 style="margin:16px 0 6px 0;font-size:14px;line-height:20px;font-weight:700;color:${color};${FONT}">${escapeHtml(text)}</h3>`;
}

export function paragraph(html: string, color = MUTED): string {
  return `<p style="margin:8px 0 0 0;font-size:13px;line-height:19px;color:${color};${FONT}">${html}</p>`;
}

export function spacer(px: number): string {
  return `<div style="height:${px}px;line-height:${px}px;">&nbsp;</div>`;
}

/** A tinted box for a warning or a call-out; `html` is already escaped. */
export function callout(html: string, tone: Tone): string {
  const box = `margin:8px 0 0 0;background:${tone.bg};border-left:4px solid ${tone.fg};border-radius:4px;`;
  const inner = `padding:10px 12px;font-size:13px;line-height:19px;color:${INK};${FONT}`;
  return `<table ${TABLE} style="${box}" bgcolor="${tone.bg}"><tr><td style="${inner}">${html}</td></tr></table>`;
}

/** One white card; separated from the next by page background. */
export function card(content: string, padding = 16): string {
  const box = `background:#ffffff;border:1px solid ${LINE};border-radius:8px;`;
  const inner = `<tr><td style="padding:${padding}px;${FONT}">${content}</td></tr>`;
  return `<tr><td style="padding:0 0 16px 0;"><table ${TABLE} style="${box}">${inner}</table></td></tr>`;
}

export function countryCell(code: string): Cell {
  const name = countryName(code);
  const label = escapeHtml(countryLabel(code));
  return name === code
    ? `<strong>${label}</strong>`
    : `<strong>${label}</strong><br><span style="font-size:11px;line-height:14px;color:${MUTED};">${escapeHtml(name)}</span>`;
}

export function numberCell(phoneNumber: string): Cell {
  // E.164 has no break opportunity, so no white-space (which Outlook for Windows drops) is needed.
  return `<span style="${MONO}font-size:13px;">${escapeHtml(phoneNumber)}</span>`;
}

export function faint(text: string): Cell {
  return `<span style="color:${FAINT};">${escapeHtml(text)}</span>`;
}

// 24 px figures and 10 px padding keep two tiles of "$12,345.67" side by side on a 375 px phone.
export function tile(label: string, value: string, sub: string, tone: Tone): string {
  const box = `<table ${TABLE} style="background:${tone.bg};border-radius:6px;"><tr><td style="padding:10px;${FONT}">`;
  const caption = `font-size:11px;line-height:14px;font-weight:600;letter-spacing:0.5px;text-transform:uppercase;color:${MUTED};`;
  return `<td width="50%" valign="top" style="padding:4px;">${box}
<div style="${caption}">${escapeHtml(label)}</div>
<div style="font-size:24px;line-height:30px;font-weight:700;color:${tone.fg};font-variant-numeric:tabular-nums;">${escapeHtml(value)}</div>
<div style="font-size:12px;line-height:16px;color:${MUTED};">${sub}</div></td></tr></table></td>`;
}

/** A small coloured label such as OK or FAILED. */
export function badge(text: string, tone: Tone): Cell {
  const style = `display:inline-block;padding:1px 4px;border-radius:4px;background:${tone.bg};color:${tone.fg};`;
  return `<span style="${style}font-size:10px;line-height:15px;font-weight:700;">${escapeHtml(text)}</span>`;
}

/** One bar of barChart: its label, its share of the longest bar (0-100, null: no figure) and its figure. */
export interface BarRow {
  label: string;
  percent: number | null;
  figure: string;
  /** A stacked bar: its segments, each a share of the longest bar, left to right. */
  parts?: Array<{ percent: number; color: string }>;
}

/** Colours of a stacked bar's series, in order: apart in hue and lightness, so also in grey. */
export const SERIES_COLORS = ['#1d4ed8', '#60a5fa', '#d97706', FAINT] as const;

/** Small swatches naming a stacked chart's series; table cells, so every client draws them. */
export function legend(series: ReadonlyArray<{ label: string; color: string }>): string {
  const text = `padding:0 10px 0 4px;font-size:12px;line-height:16px;color:${MUTED};${FONT}`;
  const items = series
    .map(
      (s) =>
        `<td width="10" bgcolor="${s.color}" style="background:${s.color};font-size:1px;line-height:10px;">&nbsp;</td>` +
        `<td nowrap style="${text}">${escapeHtml(s.label)}</td>`,
    )
    .join('');
  return `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 6px 0;"><tr>${items}</tr></table>`;
}

function stackedCells(parts: NonNullable<BarRow['parts']>): string {
  const cell = 'height:12px;font-size:1px;line-height:12px;';
  const drawn = parts.filter((p) => p.percent > 0);
  const used = drawn.reduce((sum, p) => sum + p.percent, 0);
  const bars = drawn.map(
    (p) => `<td width="${p.percent}%" bgcolor="${p.color}" style="${cell}background:${p.color};">&nbsp;</td>`,
  );
  return `${bars.join('')}${used < 100 ? `<td style="${cell}">&nbsp;</td>` : ''}`;
}

function barCells(percent: number | null, color: string): string {
  const cell = 'height:12px;font-size:1px;line-height:12px;';
  if (percent === null || percent <= 0) return `<td style="${cell}">&nbsp;</td>`;
  const bar = `<td width="${percent}%" bgcolor="${color}" style="${cell}background:${color};">&nbsp;</td>`;
  return percent >= 100 ? bar : `${bar}<td style="${cell}">&nbsp;</td>`;
}

/**
 * A bar chart every mail client draws: one table row per bar, the bar a coloured cell whose width
 * is its share of the longest. No images, SVG or scripts; the figure is printed beside each bar.
 */
export function barChart(rows: readonly BarRow[], color: string): string {
  const text = `font-size:12px;line-height:16px;color:${MUTED};`;
  const body = rows
    .map(
      (r) =>
        `<tr><td width="52" nowrap valign="middle" style="padding:2px 6px 2px 0;${text}">${escapeHtml(r.label)}</td>` +
        `<td valign="middle" style="padding:2px 0;"><table ${TABLE}><tr>${r.parts ? stackedCells(r.parts) : barCells(r.percent, color)}</tr></table></td>` +
        `<td width="76" nowrap align="right" valign="middle" style="padding:2px 0 2px 6px;${text}color:${INK};font-variant-numeric:tabular-nums;">${escapeHtml(r.figure)}</td></tr>`,
    )
    .join('');
  return `<table ${DATA_TABLE}>${body}</table>`;
}
