// The HTML email people read every Monday. Built for real mail clients: table layout, inline
// styles only, no script, no remote images, fonts or CSS (clients block them and they leak
// reads), fluid up to 600 px so it reads on a 375 px phone. Every value from the API or the
// config goes through `escapeHtml`.
import type { WorkspaceAudit, WorkspaceOutcome } from '../workspace';
import type { ReportContext } from './context';
import {
  describeAttachment,
  describeFilters,
  formatCount,
  formatDateTime,
  formatReportDate,
  formatUsd,
  plural,
} from './format';
import { renderWorkspaceSection } from './html-workspace';
import {
  BAD,
  badge,
  BLUE,
  card,
  count,
  dataTable,
  escapeHtml,
  FAINT,
  faint,
  FONT,
  GOOD,
  heading,
  MUTED,
  PAGE_BG,
  RED,
  spacer,
  TABLE,
  WARN,
  type Cell,
} from './html-kit';
import { changesCell, missingAgentsCell, reportTotals, soleAudit, workspaceState } from './summary';
import { renderSubject } from './subject';

export { escapeHtml } from './html-kit';
export { renderWorkspaceSection, type SectionOptions } from './html-workspace';

const STATE_TONES = { OK: GOOD, INCOMPLETE: WARN, FAILED: BAD } as const;

function incompleteBanner(workspaces: readonly WorkspaceOutcome[]): string {
  const incomplete = workspaces.filter((w): w is WorkspaceAudit => w.ok && !w.complete);
  if (incomplete.length === 0) return '';
  const fallback = 'The number listing did not match the total the API reported.';
  const reasons =
    workspaces.length === 1
      ? escapeHtml(incomplete[0]?.incompleteReason ?? fallback)
      : incomplete
          .map((w) => `<strong>${escapeHtml(w.name)}:</strong> ${escapeHtml(w.incompleteReason ?? fallback)}`)
          .join('<br>');
  return `<table ${TABLE} style="background:${RED};" bgcolor="${RED}"><tr><td align="center" style="padding:14px 16px;${FONT}color:#ffffff;font-size:15px;line-height:21px;"><strong style="font-size:16px;letter-spacing:0.5px;">INCOMPLETE REPORT</strong><br>${reasons}<br>Do not act on missing numbers: some may not be listed.</td></tr></table>`;
}

/** The combined table of a several-workspace email; it must fit a 375 px phone, so short labels that wrap. */
function combinedSummary(workspaces: readonly WorkspaceOutcome[]): string {
  const t = reportTotals(workspaces);
  const rows: Cell[][] = workspaces.map((w) => {
    const state = badge(workspaceState(w), STATE_TONES[workspaceState(w)]);
    const name = `<strong style="word-break:break-word;">${escapeHtml(w.name)}</strong>`;
    if (!w.ok) return [name, faint('-'), faint('-'), faint('-'), faint('-'), state];
    const unrouted =
      w.audit.unrouted.length > 0
        ? `<strong style="color:${RED};">${formatCount(w.audit.unrouted.length)}</strong>`
        : count(0);
    return [
      name,
      formatCount(w.audit.total),
      unrouted,
      escapeHtml(missingAgentsCell(w)),
      `<span style="white-space:normal;">${escapeHtml(changesCell(w))}</span>`,
      state,
    ];
  });
  const bits = [`${formatCount(t.numbers)} numbers`, `${formatCount(t.unrouted)} unrouted`];
  if (t.missingAgents > 0) bits.push(`${formatCount(t.missingAgents)} routed to a missing agent`);
  if (t.failed > 0) bits.push(`${plural(t.failed, 'workspace', 'workspaces')} failed`);
  const table = dataTable(
    [
      { label: 'Workspace', align: 'left', wrap: true },
      { label: 'Total', align: 'right' },
      { label: 'Unrouted', align: 'right' },
      { label: 'Missing agents', align: 'right' },
      { label: 'Changes', align: 'right' },
      { label: 'Status', align: 'left' },
    ],
    rows,
    {
      padding: '6px 2px',
      compact: true,
      totals: ['Total', formatCount(t.numbers), formatCount(t.unrouted), formatCount(t.missingAgents), '', ''],
    },
  );
  return card(
    `${heading(`${formatCount(t.workspaces)} workspaces`, `${escapeHtml(bits.join(', '))}.`)}${spacer(8)}${table}<p style="margin:8px 0 0 0;font-size:12px;line-height:17px;color:${MUTED};${FONT}">Changes: numbers added (+) and removed (-) since the previous report. Each workspace has its own section below.</p>`,
    12,
  );
}

function footer(ctx: ReportContext): string {
  const line = (label: string, value: string) =>
    `<div style="margin:0 0 4px 0;"><strong style="color:#4b5563;">${escapeHtml(label)}:</strong> ${escapeHtml(value)}</div>`;
  const only = soleAudit(ctx.workspaces);
  const where = only
    ? `${line('Workspace', only.name)}\n${line('Scope', describeFilters(only.filters))}`
    : line('Workspaces', ctx.workspaces.map((w) => w.name).join(', '));
  return `<tr><td style="padding:4px 8px 24px 8px;font-size:12px;line-height:18px;color:${MUTED};${FONT}">
${line('Generated', formatDateTime(ctx.generatedAt, ctx.timeZone))}
${where}
${line('Attachment', describeAttachment(ctx.attachment, ctx.attachmentNote))}
${line('On demand', ctx.onDemandHint)}
<div style="margin:8px 0 0 0;color:${FAINT};">Unrouted means active (or without a status) and with no inbound agent. Types marked * were worked out from the number.</div>
</td></tr>`;
}

function preheader(ctx: ReportContext): string {
  const t = reportTotals(ctx.workspaces);
  const several = ctx.workspaces.length === 1 ? '' : `${formatCount(t.workspaces)} workspaces, `;
  const failed = t.failed > 0 ? ` ${formatCount(t.failed)} failed.` : '';
  const text = `${t.incomplete > 0 ? 'INCOMPLETE. ' : ''}${several}${formatCount(t.numbers)} numbers, ${formatCount(t.unrouted)} unrouted, ${formatUsd(t.monthlyCost)} a month known.${failed}`;
  return `<div style="display:none;font-size:1px;line-height:1px;max-height:0;max-width:0;opacity:0;overflow:hidden;mso-hide:all;">${escapeHtml(text)}</div>`;
}

export function renderHtml(ctx: ReportContext): string {
  const { workspaces } = ctx;
  const several = soleAudit(workspaces) === undefined;
  const sections = workspaces.map((w, i) =>
    renderWorkspaceSection(w, ctx, several ? `Workspace ${i + 1} of ${workspaces.length}` : undefined),
  );
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="x-apple-disable-message-reformatting">
<meta name="color-scheme" content="light">
<meta name="supported-color-schemes" content="light">
<title>${escapeHtml(renderSubject(ctx))}</title>
</head>
<body style="margin:0;padding:0;background:${PAGE_BG};-webkit-text-size-adjust:100%;">
${incompleteBanner(workspaces)}${preheader(ctx)}
<table ${TABLE} style="background:${PAGE_BG};" bgcolor="${PAGE_BG}"><tr><td align="center" style="padding:16px 8px;">
<!--[if mso]><table role="presentation" width="600" align="center" cellpadding="0" cellspacing="0" border="0"><tr><td><![endif]-->
<table ${TABLE} style="max-width:600px;margin:0 auto;">
<tr><td style="padding:0 4px 4px 4px;${FONT}"><div style="font-size:12px;line-height:16px;font-weight:700;letter-spacing:1px;text-transform:uppercase;color:${BLUE};">DialNexa number audit</div><div style="font-size:13px;line-height:18px;color:${MUTED};">${escapeHtml(formatReportDate(ctx.generatedAt, ctx.timeZone))}</div></td></tr>
${several ? combinedSummary(workspaces) : ''}
${sections.join('\n')}
${footer(ctx)}
</table>
<!--[if mso]></td></tr></table><![endif]-->
</td></tr></table>
</body>
</html>
`;
}
