// The agency's roll-up email (fan-out): a row per client, the failed ones first with what failed,
// totals, and the combined CSV. Built from the workspace tasks' summaries, never from the numbers.
import { toCents } from '../audit';
import type { WorkspaceSummary } from '../fan-out';
import { formatCount, formatDateTime, formatDelta, formatReportDate, formatUsd, singleLine, truncate } from './format';
import { BAD, escapeHtml, FONT, INK, LINE, MUTED, NEUTRAL } from './html-kit';
import type { RenderedBodies } from './index';

export interface RollUpContext {
  generatedAt: Date;
  timeZone: string;
  summaries: readonly WorkspaceSummary[];
  /** How the combined CSV went into the email (the size guard may gzip or leave it out). */
  attachmentNote: string;
}

export interface RollUpTotals {
  clients: number;
  failed: number;
  incomplete: number;
  numbers: number;
  unrouted: number;
  missingAgents: number;
  monthlyCost: number;
  actionNeeded: number;
}

const STATUS_ORDER: Record<WorkspaceSummary['status'], number> = { failed: 0, incomplete: 1, 'sent-earlier': 2, ok: 3 };
const STATUS_LABEL: Record<WorkspaceSummary['status'], string> = {
  failed: 'FAILED',
  incomplete: 'INCOMPLETE',
  ok: 'OK',
  // Its email went out in an attempt that died before saving its figures: they are not in the totals.
  'sent-earlier': 'sent earlier, figures not saved',
};

/** Failed first, then incomplete, then by name. */
export function rollUpRows(summaries: readonly WorkspaceSummary[]): WorkspaceSummary[] {
  return [...summaries].sort(
    (a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || a.name.localeCompare(b.name, 'en'),
  );
}

export function rollUpTotals(summaries: readonly WorkspaceSummary[]): RollUpTotals {
  let cents = 0;
  const t: RollUpTotals = {
    clients: summaries.length,
    failed: 0,
    incomplete: 0,
    numbers: 0,
    unrouted: 0,
    missingAgents: 0,
    monthlyCost: 0,
    actionNeeded: 0,
  };
  for (const s of summaries) {
    if (s.status === 'failed') t.failed += 1;
    // A client whose figures were not saved leaves the totals short: the roll-up says INCOMPLETE.
    if (s.status === 'incomplete' || s.status === 'sent-earlier') t.incomplete += 1;
    if (s.actionNeeded) t.actionNeeded += 1;
    t.numbers += s.numbers;
    t.unrouted += s.unrouted;
    t.missingAgents += s.missingAgents;
    cents += toCents(s.monthlyCost);
  }
  t.monthlyCost = cents / 100;
  return t;
}

export function renderRollUp(ctx: RollUpContext): RenderedBodies {
  const totals = rollUpTotals(ctx.summaries);
  const rows = rollUpRows(ctx.summaries);
  return {
    subject: rollUpSubject(ctx, totals),
    html: rollUpHtml(ctx, totals, rows),
    text: rollUpText(ctx, totals, rows),
  };
}

function rollUpSubject(ctx: RollUpContext, t: RollUpTotals): string {
  const action = t.actionNeeded > 0 ? '[Action needed] ' : '';
  const incomplete = t.incomplete > 0 ? '[INCOMPLETE] ' : '';
  const failed = t.failed > 0 ? `, ${formatCount(t.failed)} failed` : '';
  return (
    `${incomplete}${action}DialNexa numbers roll-up: ${formatCount(t.clients)} clients, ` +
    `${formatCount(t.numbers)} numbers, ${formatCount(t.unrouted)} unrouted${failed} - ` +
    formatReportDate(ctx.generatedAt, ctx.timeZone)
  );
}

/** The cells of one row, as text; the HTML escapes them. */
function cells(s: WorkspaceSummary): string[] {
  const failed = s.status === 'failed';
  const change = s.changes ? `${formatDelta(s.changes.added)} / ${formatDelta(-s.changes.removed)}` : '-';
  const what = failed
    ? truncate(singleLine(s.error?.message ?? ''), 300)
    : s.status === 'incomplete'
      ? truncate(singleLine(s.incompleteReason ?? ''), 300)
      : s.emailed
        ? 'own report sent'
        : '';
  return [
    s.name,
    STATUS_LABEL[s.status],
    failed ? '-' : formatCount(s.numbers),
    failed ? '-' : formatCount(s.unrouted),
    failed ? '-' : formatCount(s.missingAgents),
    failed ? '-' : formatUsd(s.monthlyCost),
    failed ? '-' : change,
    what,
  ];
}

const HEADERS = ['Client', 'Status', 'Numbers', 'Unrouted', 'Missing agents', 'Monthly cost', 'Change', 'Notes'];

function totalCells(t: RollUpTotals): string[] {
  const status = `${formatCount(t.clients - t.failed)} of ${formatCount(t.clients)} audited`;
  return [
    'Total',
    status,
    formatCount(t.numbers),
    formatCount(t.unrouted),
    formatCount(t.missingAgents),
    formatUsd(t.monthlyCost),
    '',
    '',
  ];
}

function rollUpHtml(ctx: RollUpContext, t: RollUpTotals, rows: readonly WorkspaceSummary[]): string {
  const td = (text: string, i: number, tone = NEUTRAL, bold = false): string =>
    `<td style="padding:6px 8px;border-bottom:1px solid ${LINE};color:${tone.fg};${i >= 2 && i <= 6 ? 'text-align:right;' : ''}${bold ? 'font-weight:600;' : ''}">${escapeHtml(text)}</td>`;
  const body = rows
    .map((s) => {
      const tone = s.status === 'failed' || s.status === 'incomplete' ? BAD : NEUTRAL;
      return `<tr>${cells(s)
        .map((c, i) => td(c, i, i === 1 || i === 7 ? tone : NEUTRAL))
        .join('')}</tr>`;
    })
    .join('\n');
  const head = HEADERS.map(
    (h) => `<th style="padding:6px 8px;text-align:left;border-bottom:2px solid ${LINE};color:${MUTED};">${h}</th>`,
  ).join('');
  const foot = `<tr>${totalCells(t)
    .map((c, i) => td(c, i, NEUTRAL, true))
    .join('')}</tr>`;
  const banner =
    t.failed > 0
      ? `<p style="color:${BAD.fg};background:${BAD.bg};padding:8px 12px;">${formatCount(t.failed)} client${t.failed === 1 ? '' : 's'} could not be audited; they are listed first with what failed.</p>`
      : '';
  return `<!doctype html><html><body style="${FONT}color:${INK};margin:0;padding:16px;">
<h1 style="font-size:20px;margin:0 0 4px;">DialNexa numbers roll-up</h1>
<p style="color:${MUTED};margin:0 0 12px;">${escapeHtml(formatDateTime(ctx.generatedAt, ctx.timeZone))}: ${formatCount(t.clients)} clients, ${formatCount(t.numbers)} numbers, ${formatCount(t.unrouted)} unrouted. Change: numbers added / removed since each client's last report.</p>
${banner}<table style="border-collapse:collapse;font-size:13px;"><thead><tr>${head}</tr></thead><tbody>
${body}
${foot}</tbody></table>
<p style="color:${MUTED};">${escapeHtml(ctx.attachmentNote)}</p>
</body></html>
`;
}

function rollUpText(ctx: RollUpContext, t: RollUpTotals, rows: readonly WorkspaceSummary[]): string {
  const lines = [
    'DialNexa numbers roll-up',
    formatDateTime(ctx.generatedAt, ctx.timeZone),
    '',
    ...(t.failed > 0 ? [`${formatCount(t.failed)} client(s) could not be audited; listed first.`, ''] : []),
    HEADERS.join(' | '),
    ...rows.map((s) => cells(s).join(' | ')),
    totalCells(t).join(' | '),
    '',
    ctx.attachmentNote,
  ];
  return `${lines.join('\n')}\n`;
}
