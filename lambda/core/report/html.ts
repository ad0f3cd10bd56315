// The HTML email people read every Monday. Built for real mail clients: table layout, inline
// styles only, no script, no remote images, fonts or CSS (clients block them and they leak
// reads), fluid up to 600 px so it reads on a 375 px phone. Every value from the API or the
// config goes through `escapeHtml`.
import { ALL_NUMBER_TYPES, type AuditResult, type ListFilters, type PhoneNumber } from '../types';
import { NO_STATUS, UNKNOWN_PROVIDER } from '../audit';
import { unroutedLimit, type ReportContext } from './context';
import {
  countryLabel,
  countryName,
  describeAttachment,
  describeFilters,
  formatCount,
  formatDateTime,
  formatReportDate,
  formatUsd,
  moreRowsNote,
  typeLabel,
} from './format';
import type { AttachmentMode } from '../types';
import { renderSubject } from './subject';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

// Palette and type, in one place so the sections stay consistent.
const FONT = "font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;";
const MONO = "font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,'Liberation Mono',monospace;";
const INK = '#111827';
const MUTED = '#6b7280';
const FAINT = '#9ca3af';
const LINE = '#e5e7eb';
const RED = '#b91c1c';
const RED_BG = '#fef2f2';
const GREEN = '#047857';
const GREEN_BG = '#ecfdf5';
const BLUE = '#1d4ed8';
const PAGE_BG = '#f3f4f6';

const TABLE = 'role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"';
const DATA_TABLE = `width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;${FONT}"`;

type Align = 'left' | 'right';

interface Column {
  label: string;
  align: Align;
  /** Optional width hint, e.g. "34%". */
  width?: string;
}

/** A cell is HTML that is already escaped. */
type Cell = string;

function th(col: Column, padding: string): string {
  const width = col.width ? ` width="${col.width}"` : '';
  return `<th align="${col.align}"${width} style="padding:${padding};font-size:12px;font-weight:600;color:${MUTED};text-align:${col.align};border-bottom:2px solid ${LINE};white-space:nowrap;">${escapeHtml(col.label)}</th>`;
}

function td(cell: Cell, align: Align, padding: string, extra = ''): string {
  return `<td align="${align}" valign="top" style="padding:${padding};font-size:13px;line-height:18px;color:${INK};text-align:${align};border-bottom:1px solid ${LINE};${extra}">${cell}</td>`;
}

function dataTable(columns: Column[], rows: Cell[][], options: { totals?: Cell[]; padding?: string } = {}): string {
  const padding = options.padding ?? '7px 8px';
  const head = `<tr>${columns.map((c) => th(c, padding)).join('')}</tr>`;
  const body = rows
    .map((r) => `<tr>${r.map((cell, i) => td(cell, columns[i]?.align ?? 'left', padding, numericStyle(columns[i]))).join('')}</tr>`)
    .join('');
  const totals = options.totals
    ? `<tr>${options.totals
        .map((cell, i) =>
          td(cell, columns[i]?.align ?? 'left', padding, `${numericStyle(columns[i])}font-weight:700;border-top:2px solid ${LINE};border-bottom:0;`),
        )
        .join('')}</tr>`
    : '';
  return `<table ${DATA_TABLE}>${head}${body}${totals}</table>`;
}

function numericStyle(col: Column | undefined): string {
  return col?.align === 'right' ? 'font-variant-numeric:tabular-nums;white-space:nowrap;' : '';
}

function count(n: number): Cell {
  return n === 0 ? `<span style="color:${FAINT};">0</span>` : formatCount(n);
}

function heading(text: string, note?: string): string {
  const sub = note ? `<p style="margin:2px 0 0 0;font-size:13px;line-height:19px;color:${MUTED};${FONT}">${note}</p>` : '';
  return `<h2 style="margin:0;font-size:16px;line-height:22px;font-weight:700;color:${INK};${FONT}">${escapeHtml(text)}</h2>${sub}`;
}

function paragraph(html: string, color = MUTED): string {
  return `<p style="margin:8px 0 0 0;font-size:13px;line-height:19px;color:${color};${FONT}">${html}</p>`;
}

/** One white card with a heading and content; separated from the next by page background. */
function card(content: string): string {
  return `<tr><td style="padding:0 0 16px 0;"><table ${TABLE} style="background:#ffffff;border:1px solid ${LINE};border-radius:8px;"><tr><td style="padding:16px;${FONT}">${content}</td></tr></table></td></tr>`;
}

function countryCell(code: string): Cell {
  const name = countryName(code);
  const label = escapeHtml(countryLabel(code));
  return name === code ? `<strong>${label}</strong>` : `<strong>${label}</strong><br><span style="font-size:11px;line-height:14px;color:${MUTED};">${escapeHtml(name)}</span>`;
}

function tile(label: string, value: string, sub: string, tone: { fg: string; bg: string }): string {
  return `<td width="50%" valign="top" style="padding:4px;"><table ${TABLE} style="background:${tone.bg};border-radius:6px;"><tr><td style="padding:12px;${FONT}">
<div style="font-size:11px;line-height:14px;font-weight:600;letter-spacing:0.5px;text-transform:uppercase;color:${MUTED};">${escapeHtml(label)}</div>
<div style="font-size:26px;line-height:32px;font-weight:700;color:${tone.fg};font-variant-numeric:tabular-nums;">${escapeHtml(value)}</div>
<div style="font-size:12px;line-height:16px;color:${MUTED};">${sub}</div></td></tr></table></td>`;
}

const NEUTRAL = { fg: INK, bg: '#f9fafb' };

function headline(audit: AuditResult): string {
  const unrouted = audit.unrouted.length;
  const countries = Object.keys(audit.byCountry).filter((c) => c !== 'unknown').length;
  const unknownCountry = audit.byCountry.unknown ?? 0;
  const costSub =
    audit.cost.unknownCount === 0
      ? 'all numbers priced'
      : `${escapeHtml(formatCount(audit.cost.unknownCount))} without a cost`;
  return `<table ${TABLE}><tr>
${tile('Numbers', formatCount(audit.total), `${escapeHtml(formatCount(audit.notActive.length))} not active`, NEUTRAL)}
${tile('Unrouted', formatCount(unrouted), unrouted > 0 ? 'calls to these are rejected' : 'every active number has an agent', unrouted > 0 ? { fg: RED, bg: RED_BG } : { fg: GREEN, bg: GREEN_BG })}
</tr><tr>
${tile('Countries', formatCount(countries), unknownCountry > 0 ? `+ ${escapeHtml(formatCount(unknownCountry))} without a country` : 'with numbers', NEUTRAL)}
${tile('Monthly cost', formatUsd(audit.cost.totalMonthly), costSub, NEUTRAL)}
</tr></table>`;
}

function typeCell(n: PhoneNumber): Cell {
  return `${escapeHtml(typeLabel(n.type))}${n.typeInferred ? `<span style="color:${MUTED};">*</span>` : ''}`;
}

function unroutedSection(audit: AuditResult, limit: number, attachment: AttachmentMode): string {
  const all = audit.unrouted;
  if (all.length === 0) {
    return card(
      `${heading('Unrouted numbers')}${paragraph(`<span style="color:${GREEN};font-weight:600;">None.</span> Every active number has an inbound agent.`, INK)}`,
    );
  }
  const shown = all.slice(0, limit);
  const rows = shown.map((n) => [
    `<span style="${MONO}font-size:13px;">${escapeHtml(n.phoneNumber)}</span>`,
    escapeHtml(countryLabel(n.countryCode)),
    typeCell(n),
    n.nickname === null ? `<span style="color:${FAINT};">-</span>` : escapeHtml(n.nickname),
  ]);
  const table = dataTable(
    [
      { label: 'Number', align: 'left' },
      { label: 'Country', align: 'left' },
      { label: 'Type', align: 'left' },
      { label: 'Nickname', align: 'left', width: '35%' },
    ],
    rows,
    { padding: '6px 6px' },
  );
  const more = all.length > shown.length ? paragraph(`<strong>${escapeHtml(moreRowsNote(all.length - shown.length, attachment))}.</strong>`, INK) : '';
  const inferred = shown.some((n) => n.typeInferred) ? paragraph('* type worked out from the number; the API did not give one.') : '';
  const note = `${escapeHtml(formatCount(all.length))} active number${all.length === 1 ? '' : 's'} with no inbound agent: a call to ${all.length === 1 ? 'it' : 'them'} is rejected. Assign an agent or release the number.`;
  return card(`${heading('Unrouted numbers', note)}<div style="height:8px;line-height:8px;">&nbsp;</div>${table}${more}${inferred}`);
}

function matrixSection(audit: AuditResult): string {
  const columns: Column[] = [
    { label: 'Country', align: 'left', width: '28%' },
    ...ALL_NUMBER_TYPES.map((t): Column => ({ label: typeLabel(t), align: 'right' })),
    { label: 'Total', align: 'right' },
  ];
  const rows = Object.entries(audit.byCountryType).map(([code, cells]) => [
    countryCell(code),
    ...ALL_NUMBER_TYPES.map((t) => count(cells[t])),
    `<strong>${formatCount(audit.byCountry[code] ?? 0)}</strong>`,
  ]);
  const totals = ['Total', ...ALL_NUMBER_TYPES.map((t) => formatCount(audit.byType[t])), formatCount(audit.total)];
  const body = audit.total === 0 ? paragraph('No numbers matched.') : dataTable(columns, rows, { totals, padding: '6px 4px' });
  return card(`${heading('Numbers by country and type')}<div style="height:8px;line-height:8px;">&nbsp;</div>${body}`);
}

function statusLabel(status: string): string {
  return status === NO_STATUS ? '(no status given)' : status;
}

function statusSection(audit: AuditResult): string {
  const statusRows = Object.entries(audit.byStatus).map(([s, n]) => [escapeHtml(statusLabel(s)), formatCount(n)]);
  const providerRows = Object.entries(audit.byProvider).map(([p, n]) => [
    escapeHtml(p === UNKNOWN_PROVIDER ? '(not given)' : p),
    formatCount(n),
  ]);
  const notActive = audit.notActive.length;
  const note =
    notActive > 0
      ? `${escapeHtml(formatCount(notActive))} number${notActive === 1 ? ' is' : 's are'} not active (pending, expired, ...) and never counted as unrouted.`
      : 'Every number is active or has no status.';
  if (audit.total === 0) return card(`${heading('Status')}${paragraph('No numbers matched.')}`);
  return card(
    `${heading('Status', note)}<div style="height:8px;line-height:8px;">&nbsp;</div>${dataTable(
      [
        { label: 'Status', align: 'left' },
        { label: 'Numbers', align: 'right' },
      ],
      statusRows,
    )}<div style="height:16px;line-height:16px;">&nbsp;</div>${dataTable(
      [
        { label: 'Provider', align: 'left' },
        { label: 'Numbers', align: 'right' },
      ],
      providerRows,
    )}`,
  );
}

function costSection(audit: AuditResult): string {
  const { cost } = audit;
  if (cost.knownCount === 0) {
    return card(`${heading('Monthly cost')}${paragraph(audit.total === 0 ? 'No numbers matched.' : 'The API gave no monthly cost for any number.')}`);
  }
  const note =
    cost.unknownCount === 0
      ? `Known for all ${escapeHtml(formatCount(cost.knownCount))} numbers.`
      : `Known for ${escapeHtml(formatCount(cost.knownCount))} of ${escapeHtml(formatCount(audit.total))} numbers; ${escapeHtml(formatCount(cost.unknownCount))} without a cost are not included.`;
  const byCountry = dataTable(
    [
      { label: 'Country', align: 'left' },
      { label: 'Per month', align: 'right' },
    ],
    Object.entries(cost.byCountry).map(([c, usd]) => [countryCell(c), formatUsd(usd)]),
    { totals: ['Total', formatUsd(cost.totalMonthly)] },
  );
  const byType = dataTable(
    [
      { label: 'Type', align: 'left' },
      { label: 'Per month', align: 'right' },
    ],
    ALL_NUMBER_TYPES.filter((t) => t in cost.byType).map((t) => [escapeHtml(typeLabel(t)), formatUsd(cost.byType[t] ?? 0)]),
  );
  return card(
    `${heading('Monthly cost (USD)', note)}<div style="height:8px;line-height:8px;">&nbsp;</div>${byCountry}<div style="height:16px;line-height:16px;">&nbsp;</div>${byType}`,
  );
}

export type WorkspaceSectionInput = Pick<
  ReportContext,
  'workspaceName' | 'filters' | 'audit' | 'attachment' | 'unroutedLimit' | 'complete' | 'incompleteReason'
>;

function scopeLine(filters: ListFilters): string {
  const described = describeFilters(filters);
  return described === 'all numbers' ? 'All numbers in the workspace' : `Filtered: ${escapeHtml(described)}`;
}

/**
 * One workspace's part of the email, as rows of the 600 px container. Self-contained so one
 * email can later stack several workspaces.
 */
export function renderWorkspaceSection(ws: WorkspaceSectionInput): string {
  const incomplete = ws.complete
    ? ''
    : paragraph(
        `<strong style="color:${RED};">Incomplete listing:</strong> ${escapeHtml(ws.incompleteReason ?? 'the API listing did not match its own total.')} The figures below may be missing numbers.`,
        INK,
      );
  const title = `<tr><td style="padding:8px 4px 12px 4px;${FONT}"><div style="font-size:20px;line-height:26px;font-weight:700;color:${INK};word-break:break-word;">${escapeHtml(ws.workspaceName)}</div><div style="font-size:13px;line-height:18px;color:${MUTED};">${scopeLine(ws.filters)}</div>${incomplete}</td></tr>`;
  return [
    title,
    card(headline(ws.audit)),
    unroutedSection(ws.audit, unroutedLimit(ws), ws.attachment),
    matrixSection(ws.audit),
    costSection(ws.audit),
    statusSection(ws.audit),
  ].join('\n');
}

function incompleteBanner(ctx: ReportContext): string {
  const reason = ctx.incompleteReason ?? 'The number listing did not match the total the API reported.';
  return `<table ${TABLE} style="background:${RED};" bgcolor="${RED}"><tr><td align="center" style="padding:14px 16px;${FONT}color:#ffffff;font-size:15px;line-height:21px;"><strong style="font-size:16px;letter-spacing:0.5px;">INCOMPLETE REPORT</strong><br>${escapeHtml(reason)}<br>Do not act on missing numbers: some may not be listed.</td></tr></table>`;
}

function footer(ctx: ReportContext): string {
  const line = (label: string, value: string) =>
    `<div style="margin:0 0 4px 0;"><strong style="color:#4b5563;">${escapeHtml(label)}:</strong> ${escapeHtml(value)}</div>`;
  return `<tr><td style="padding:4px 8px 24px 8px;font-size:12px;line-height:18px;color:${MUTED};${FONT}">
${line('Generated', formatDateTime(ctx.generatedAt, ctx.timeZone))}
${line('Workspace', ctx.workspaceName)}
${line('Scope', describeFilters(ctx.filters))}
${line('Attachment', describeAttachment(ctx.attachment, ctx.attachmentNote))}
${line('On demand', ctx.onDemandHint)}
<div style="margin:8px 0 0 0;color:${FAINT};">Unrouted means active (or without a status) and with no inbound agent. Types marked * were worked out from the number.</div>
</td></tr>`;
}

function preheader(ctx: ReportContext): string {
  const { audit } = ctx;
  const text = `${ctx.complete ? '' : 'INCOMPLETE. '}${formatCount(audit.total)} numbers, ${formatCount(audit.unrouted.length)} unrouted, ${formatUsd(audit.cost.totalMonthly)} a month known.`;
  return `<div style="display:none;font-size:1px;line-height:1px;max-height:0;max-width:0;opacity:0;overflow:hidden;mso-hide:all;">${escapeHtml(text)}</div>`;
}

export function renderHtml(ctx: ReportContext): string {
  const banner = ctx.complete ? '' : incompleteBanner(ctx);
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
${banner}${preheader(ctx)}
<table ${TABLE} style="background:${PAGE_BG};" bgcolor="${PAGE_BG}"><tr><td align="center" style="padding:16px 8px;">
<!--[if mso]><table role="presentation" width="600" align="center" cellpadding="0" cellspacing="0" border="0"><tr><td><![endif]-->
<table ${TABLE} style="max-width:600px;margin:0 auto;">
<tr><td style="padding:0 4px 4px 4px;${FONT}"><div style="font-size:12px;line-height:16px;font-weight:700;letter-spacing:1px;text-transform:uppercase;color:${BLUE};">DialNexa number audit</div><div style="font-size:13px;line-height:18px;color:${MUTED};">${escapeHtml(formatReportDate(ctx.generatedAt, ctx.timeZone))}</div></td></tr>
${renderWorkspaceSection(ctx)}
${footer(ctx)}
</table>
<!--[if mso]></td></tr></table><![endif]-->
</td></tr></table>
</body>
</html>
`;
}
