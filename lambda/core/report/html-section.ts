// A report section as one card of the HTML email: heading, call-outs, paragraphs, tables, notes.
import { cellText } from './cells';
import { typeLabel } from './format';
import {
  AMBER,
  BAD,
  barChart,
  BLUE,
  badge,
  callout,
  card,
  count,
  countryCell,
  dataTable,
  escapeHtml,
  escapeId,
  faint,
  GOOD,
  GREEN,
  heading,
  INK,
  legend,
  SERIES_COLORS,
  MONO,
  MUTED,
  NEUTRAL,
  numberCell,
  paragraph,
  RED,
  spacer,
  subheading,
  WARN,
  type Column as HtmlColumn,
  type Tone as HtmlTone,
} from './html-kit';
import type { Callout, Cell, Chart, Note, Paragraph, Section, Table, TableBars, Tone } from './model-types';

export const TONES: Record<Tone, HtmlTone> = { neutral: NEUTRAL, good: GOOD, bad: BAD, warn: WARN };
const PADDING = { snug: '6px 6px', tight: '6px 4px', compact: '6px 2px' } as const;

function styled(style: string, text: string, escapeText = escapeHtml): string {
  return `<span style="${style}">${escapeText(text)}</span>`;
}

export function cellHtml(cell: Cell): string {
  if (typeof cell === 'string') return escapeHtml(cell);
  switch (cell.kind) {
    case 'phone':
      return numberCell(cell.text);
    case 'id':
      return styled(`${MONO}font-size:12px;`, cell.text, escapeId);
    case 'country':
      return countryCell(cell.code);
    case 'type':
      return `${escapeHtml(typeLabel(cell.type))}${cell.inferred ? `<span style="color:${MUTED};">*</span>` : ''}`;
    case 'blank':
      return faint(cell.text);
    case 'count':
      return count(cell.n);
    case 'alarm':
      return styled(`color:${RED};font-weight:600;`, cell.text);
    case 'loose':
      return escapeHtml(cell.text);
    case 'badge':
      return badge(cell.text, TONES[cell.tone]);
    case 'strong': {
      const style = cell.tone ? ` style="color:${TONES[cell.tone].fg};"` : '';
      return `<strong${style}>${escapeHtml(cell.text)}</strong>`;
    }
  }
}

/** A column marked `under` joins the previous column's cell, in small print (a badge as itself). */
function underCell(cell: Cell): string {
  if (cellText(cell) === '') return '';
  if (typeof cell !== 'string' && cell.kind === 'badge') return `<br>${cellHtml(cell)}`;
  return `<br>${styled(`${MONO}font-size:11px;line-height:14px;color:${MUTED};`, cellText(cell), escapeId)}`;
}

function htmlRows(columns: Table['columns'], rows: Cell[][]): string[][] {
  return rows.map((row) => {
    const out: string[] = [];
    row.forEach((cell, i) => {
      if (columns[i]?.under && out.length > 0) out[out.length - 1] += underCell(cell);
      else out.push(cellHtml(cell));
    });
    return out;
  });
}

function htmlColumns(columns: Table['columns']): HtmlColumn[] {
  return columns
    .filter((c) => !c.under)
    .map(({ label, align, width, wrap }) => ({ label, align, ...(width ? { width } : {}), ...(wrap ? { wrap } : {}) }));
}

/** Bars of a table's rows: percent of the longest, 1% at least so a small figure still shows. */
function percentOf(value: number, top: number): number {
  return top <= 0 || value <= 0 ? 0 : Math.max(1, Math.round((value / top) * 100));
}

/** The rows of a table drawn as bars (stacked by series when the table has parts), with a legend. */
function tableBarsHtml(t: Table, bars: TableBars): string {
  const top = Math.max(0, ...bars.values);
  const series = bars.parts?.series.map((label, i) => ({
    label,
    color: SERIES_COLORS[i % SERIES_COLORS.length] ?? BLUE,
  }));
  const rows = t.rows.map((r, i) => {
    const value = bars.values[i] ?? 0;
    const parts = bars.parts?.values[i]?.map((v, j) => ({
      percent: top <= 0 ? 0 : Math.round((v / top) * 100),
      color: series?.[j]?.color ?? BLUE,
    }));
    return {
      label: cellText(r[0] ?? ''),
      percent: percentOf(value, top),
      figure: bars.figures[i] ?? '',
      ...(parts ? { parts } : {}),
    };
  });
  const key = series ? legend(series.filter((_, j) => bars.parts?.values.some((v) => (v[j] ?? 0) > 0))) : '';
  return `${key}${barChart(rows, BLUE)}`;
}

/** A matrix as its row totals (bars when it has them) and its column totals, for a phone. */
function narrowTables(t: Table, narrow: NonNullable<Table['narrow']>): string[] {
  const left = (label: string): HtmlColumn => ({ label, align: 'left' });
  const value: HtmlColumn = { label: narrow.value, align: 'right' };
  const totals = t.totals ?? [];
  const after = narrow.after ?? 1;
  const grand = totals.at(-after) ?? '';
  const byRow = t.bars
    ? tableBarsHtml(t, t.bars)
    : dataTable(
        [left(t.columns[0]?.label ?? ''), value],
        t.rows.map((r) => [cellHtml(r[0] ?? ''), cellHtml(r.at(-after) ?? '')]),
        { totals: [cellHtml(totals[0] ?? ''), cellHtml(grand)] },
      );
  const byColumn = dataTable(
    [left(narrow.across), value],
    t.columns.slice(1, -after).map((c, i) => [escapeHtml(c.label), cellHtml(totals[i + 1] ?? '')]),
    t.bars ? { totals: [cellHtml(totals[0] ?? ''), cellHtml(grand)] } : {},
  );
  return [byRow, byColumn];
}

function note(n: Note): string {
  return n.strong ? paragraph(`<strong>${escapeHtml(n.text)}</strong>`, INK) : paragraph(escapeHtml(n.text));
}

function tableHtml(t: Table): string[] {
  if (t.narrow) return narrowTables(t, t.narrow);
  const options = {
    ...(t.totals ? { totals: htmlRows(t.columns, [t.totals])[0] } : {}),
    ...(t.density ? { padding: PADDING[t.density] } : {}),
    ...(t.density === 'compact' ? { compact: true } : {}),
  };
  const table = `${dataTable(htmlColumns(t.columns), htmlRows(t.columns, t.rows), options)}${t.truncated ? note(t.truncated) : ''}`;
  return t.bars ? [tableBarsHtml(t, t.bars), table] : [table];
}

/** Tables without a title get a gap above them; a titled one has its heading's margin. */
export function tablesHtml(tables: readonly Table[]): string {
  let gap = 8;
  return tables
    .flatMap((t) => {
      const title = t.title ? subheading(t.title, t.tone ? TONES[t.tone].fg : INK) : '';
      return tableHtml(t).map((html) => {
        if (title) return `${title}${html}`;
        const before = spacer(gap);
        gap = 16;
        return `${before}${html}`;
      });
    })
    .join('');
}

const BAR_COLORS: Record<Tone, string> = { neutral: BLUE, good: GREEN, bad: RED, warn: AMBER };

function chartHtml(c: Chart): string {
  const top = Math.max(0, ...c.bars.map((b) => b.value ?? 0));
  const rows = c.bars.map((b) => ({
    label: b.label,
    // At least 1% so a small non-zero figure still shows a bar.
    percent: b.value === null || top === 0 ? null : b.value === 0 ? 0 : Math.max(1, Math.round((b.value / top) * 100)),
    figure: b.text,
  }));
  return `${subheading(c.title, c.tone ? TONES[c.tone].fg : INK)}${barChart(rows, BAR_COLORS[c.tone ?? 'neutral'])}`;
}

function calloutHtml(c: Callout): string {
  const tone = TONES[c.tone];
  const phones = c.phones
    ? `${c.phones.numbers.map((n) => styled(MONO, n)).join(', ')}${escapeHtml(c.phones.rest)}`
    : escapeHtml(c.text ?? '');
  return callout(`<strong style="color:${tone.fg};">${escapeHtml(c.label)}</strong> ${phones}`, tone);
}

function paragraphHtml(p: Paragraph): string {
  const label = (text: string) =>
    p.tone === 'good'
      ? `<span style="color:${GREEN};font-weight:600;">${escapeHtml(text)}</span>`
      : `<strong>${escapeHtml(text)}</strong>`;
  const lines = p.lines.map((l) => (l.label ? `${label(l.label)} ${escapeHtml(l.text)}` : escapeHtml(l.text)));
  return paragraph(lines.join('<br>'), p.quiet ? MUTED : INK);
}

export function leadHtml(lead: readonly string[]): string | undefined {
  return lead.length > 0 ? lead.map(escapeHtml).join('<br>') : undefined;
}

export function sectionHtml(s: Section): string {
  return card(
    [
      heading(s.title, leadHtml(s.lead)),
      ...s.callouts.map(calloutHtml),
      ...s.paragraphs.map(paragraphHtml),
      tablesHtml(s.tables),
      ...(s.charts ?? []).map(chartHtml),
      ...s.notes.map(note),
    ].join(''),
  );
}
