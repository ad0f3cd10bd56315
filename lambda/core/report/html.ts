// The HTML email people read every Monday: the report model laid out for real mail clients: table
// layout, inline styles only, no script, no remote images, fonts or CSS (clients block them and
// they leak reads), fluid up to 600 px so it reads on a 375 px phone. Every value from the API or
// the config goes through `escapeHtml`.
import type { ReportContext } from './context';
import { BLUE, card, escapeHtml, FAINT, FONT, heading, MUTED, PAGE_BG, RED, TABLE } from './html-kit';
import { leadHtml, tablesHtml } from './html-section';
import { workspaceHtml } from './html-workspace';
import { buildReport } from './model';
import type { Banner, ReportModel, Section } from './model-types';

export { escapeHtml } from './html-kit';
export { renderWorkspaceSection, type SectionOptions } from './html-workspace';

/** A red strip across the top: an incomplete listing, or numbers missing since the baseline. */
function banner(warning: Banner | undefined): string {
  if (!warning) return '';
  const reasons = warning.reasons
    .map((r) => `${r.label ? `<strong>${escapeHtml(r.label)}</strong> ` : ''}${escapeHtml(r.text)}`)
    .join('<br>');
  const cell = `padding:14px 16px;${FONT}color:#ffffff;font-size:15px;line-height:21px;`;
  const title = `<strong style="font-size:16px;letter-spacing:0.5px;">${escapeHtml(warning.title)}</strong>`;
  const content = `${title}<br>${reasons}<br>${escapeHtml(warning.advice)}`;
  return `<table ${TABLE} style="background:${RED};" bgcolor="${RED}"><tr><td align="center" style="${cell}">${content}</td></tr></table>`;
}

/** The combined table of a several-workspace email: a tighter card with small print under it. */
function combinedSummary(summary: Section | undefined): string {
  if (!summary) return '';
  const small = `margin:8px 0 0 0;font-size:12px;line-height:17px;color:${MUTED};${FONT}`;
  const notes = summary.notes.map((n) => `<p style="${small}">${escapeHtml(n.text)}</p>`).join('');
  return card(`${heading(summary.title, leadHtml(summary.lead))}${tablesHtml(summary.tables)}${notes}`, 12);
}

function footer(model: ReportModel): string {
  const line = (label: string, value: string) =>
    `<div style="margin:0 0 4px 0;"><strong style="color:#4b5563;">${escapeHtml(label)}:</strong> ${escapeHtml(value)}</div>`;
  return `<tr><td style="padding:4px 8px 24px 8px;font-size:12px;line-height:18px;color:${MUTED};${FONT}">
${model.footer.lines.map((l) => line(l.label, l.text)).join('\n')}
<div style="margin:8px 0 0 0;color:${FAINT};">${escapeHtml(model.footer.note)}</div>
</td></tr>`;
}

/** Hidden where display:none works; elsewhere (Gmail's mobile web) 1 px text the page's colour. */
function preheader(text: string): string {
  const hidden = `display:none;font-size:1px;line-height:1px;max-height:0;max-width:0;color:${PAGE_BG};mso-hide:all;`;
  return `<div style="${hidden}">${escapeHtml(text)}</div>`;
}

function masthead(model: ReportModel): string {
  const eyebrow = `font-size:12px;line-height:16px;font-weight:700;letter-spacing:1px;text-transform:uppercase;color:${BLUE};`;
  const date = `<div style="font-size:13px;line-height:18px;color:${MUTED};">${escapeHtml(model.date)}</div>`;
  return `<tr><td style="padding:0 4px 4px 4px;${FONT}"><div style="${eyebrow}">${escapeHtml(model.title)}</div>${date}</td></tr>`;
}

export function renderHtml(ctx: ReportContext): string {
  const model = buildReport(ctx);
  const mso = 'role="presentation" width="600" align="center" cellpadding="0" cellspacing="0" border="0"';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="x-apple-disable-message-reformatting">
<meta name="color-scheme" content="light">
<meta name="supported-color-schemes" content="light">
<title>${escapeHtml(model.subject)}</title>
</head>
<body style="margin:0;padding:0;background:${PAGE_BG};-webkit-text-size-adjust:100%;">
${banner(model.incomplete)}${banner(model.verify)}${preheader(model.preview)}
<table ${TABLE} style="background:${PAGE_BG};" bgcolor="${PAGE_BG}"><tr><td align="center" style="padding:16px 8px;">
<!--[if mso]><table ${mso}><tr><td><![endif]-->
<table ${TABLE} style="max-width:600px;margin:0 auto;">
${masthead(model)}
${combinedSummary(model.summary)}
${model.workspaces.map(workspaceHtml).join('\n')}
${footer(model)}
</table>
<!--[if mso]></td></tr></table><![endif]-->
</td></tr></table>
</body>
</html>
`;
}
