// The plain-text part: the report model laid out for clients that show no HTML, and for grep.
// API text is flattened to one line per cell so a stray newline cannot break the columns.
import { cellText } from './cells';
import type { ReportContext } from './context';
import { singleLine } from './format';
import { buildReport } from './model';
import type {
  AuditedWorkspaceModel,
  Banner,
  Callout,
  Line,
  ReportModel,
  Section,
  Table,
  WorkspaceModel,
} from './model-types';

type Align = 'left' | 'right';

function width(s: string): number {
  return Array.from(s).length;
}

function pad(s: string, w: number, align: Align): string {
  const fill = ' '.repeat(Math.max(0, w - width(s)));
  return align === 'right' ? fill + s : s + fill;
}

/** Columns padded to their widest cell, two spaces apart, a rule under the header. */
function columns(headers: string[], aligns: Align[], rows: string[][], totals?: string[]): string[] {
  const all = totals ? [headers, ...rows, totals] : [headers, ...rows];
  const widths = headers.map((_, i) => Math.max(...all.map((r) => width(r[i] ?? ''))));
  const line = (r: string[]) =>
    `  ${r
      .map((c, i) => pad(c, widths[i] ?? 0, aligns[i] ?? 'left'))
      .join('  ')
      .trimEnd()}`;
  const rule = `  ${widths.map((w) => '-'.repeat(w)).join('  ')}`;
  return [line(headers), rule, ...rows.map(line), ...(totals ? [rule, line(totals)] : [])];
}

function table(t: Table): string[] {
  const cells = (row: Table['rows'][number]) => row.map((c) => singleLine(cellText(c)));
  const lines = columns(
    t.columns.map((c) => c.label),
    t.columns.map((c) => c.align),
    t.rows.map(cells),
    t.totals ? cells(t.totals) : undefined,
  );
  return [...(t.title ? [`${t.title}:`] : []), ...lines, ...(t.truncated ? [`  ${t.truncated.text}`] : [])];
}

function line(l: Line): string {
  return singleLine(l.label ? `${l.label} ${l.text}` : l.text);
}

function callout(c: Callout): string {
  const body = c.phones ? `${c.phones.numbers.map(singleLine).join(', ')}${c.phones.rest}` : (c.text ?? '');
  return `${c.tone === 'bad' ? '! ' : ''}${c.label} ${body}`;
}

function section(s: Section): string[] {
  const out = [
    ...s.lead.map(singleLine),
    ...s.callouts.map(callout),
    ...s.paragraphs.flatMap((p) => p.lines.map(line)),
  ];
  for (const t of s.tables) out.push(...(out.length > 0 || t.title ? [''] : []), ...table(t));
  for (const c of s.charts ?? []) {
    out.push(
      '',
      ...columns(
        ['Run', c.title],
        ['left', 'right'],
        c.bars.map((b) => [b.label, b.text]),
      ),
    );
  }
  out.push(...s.notes.map((n) => `  ${singleLine(n.text)}`));
  return ['', s.title.toUpperCase(), '='.repeat(s.title.length), ...out];
}

function figures(ws: AuditedWorkspaceModel): string[] {
  return columns(
    ['Figure', 'Value'],
    ['left', 'right'],
    ws.figures.map((f) => [f.label, f.value]),
  );
}

function workspace(ws: AuditedWorkspaceModel): string[] {
  return [...figures(ws), ...ws.sections.flatMap(section)];
}

/** A workspace among several: its own banner, then the same layout as a lone one. */
function workspaceBlock(ws: WorkspaceModel): string[] {
  const title = `${(ws.eyebrow ?? '').toUpperCase()}: ${singleLine(ws.name)}`;
  const head = ['', '', '#'.repeat(Math.min(72, width(title))), title];
  if (!ws.ok) {
    return [...head, `${ws.title}.`, singleLine(ws.message), `${ws.codeLabel} ${singleLine(ws.code)}. ${ws.note}`];
  }
  return [...head, singleLine(ws.scope), ...headLines(ws), '', ...workspace(ws)];
}

/** Under the scope: the incomplete warning, then the notices. */
function headLines(ws: AuditedWorkspaceModel): string[] {
  return [...(ws.incomplete ? [line(ws.incomplete)] : []), ...ws.notices.map(line)];
}

function bannerHead(warning: Banner | undefined): string[] {
  if (!warning) return [];
  const [only] = warning.reasons;
  const lines =
    warning.reasons.length === 1 && only && !only.label
      ? [`${warning.title}: ${line(only)}`]
      : [`${warning.title}:`, ...warning.reasons.map((r) => `  ${line(r)}`)];
  return [...lines, warning.advice, ''];
}

function body(model: ReportModel): string[] {
  const [only] = model.workspaces;
  if (!model.summary && only?.ok) {
    return [
      `${model.title} - ${singleLine(only.name)}`,
      `${model.date} - ${singleLine(only.scope)}`,
      ...headLines(only),
      '',
      ...workspace(only),
    ];
  }
  const summary = model.summary;
  const combined = summary
    ? [...summary.lead, '', ...summary.tables.flatMap(table), ...summary.notes.map((n) => `  ${n.text}`)]
    : [];
  return [
    `${model.title} - ${summary?.title ?? ''}`,
    model.date,
    '',
    ...combined,
    ...model.workspaces.flatMap(workspaceBlock),
  ];
}

export function renderText(ctx: ReportContext): string {
  const model = buildReport(ctx);
  const foot = ['', '--', ...model.footer.lines.map((l) => `${l.label}: ${singleLine(l.text)}`), model.footer.note];
  const head = [...bannerHead(model.incomplete), ...bannerHead(model.verify)];
  return `${[...head, ...body(model), ...foot].join('\n')}\n`;
}
