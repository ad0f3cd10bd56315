// One workspace's part of the HTML email, as rows of the 600 px container: self-contained, so
// one email stacks as many workspaces as the configuration lists.
import type { WorkspaceOutcome } from '../workspace';
import { escapeHtml, FONT, INK, MONO, MUTED, paragraph, RED, BAD, TABLE, card, tile } from './html-kit';
import { sectionHtml, TONES } from './html-section';
import { workspaceModel, type SectionOptions } from './model';
import type { AuditedWorkspaceModel, FailedWorkspaceModel, Figure, WorkspaceModel } from './model-types';

export type { SectionOptions } from './model';

const EYEBROW = 'font-size:11px;line-height:14px;font-weight:700;letter-spacing:1px;text-transform:uppercase;';

function title(name: string, sub: string, eyebrow?: string): string {
  const top = eyebrow ? `<div style="${EYEBROW}color:${MUTED};">${escapeHtml(eyebrow)}</div>` : '';
  const big = `<div style="font-size:20px;line-height:26px;font-weight:700;color:${INK};">${escapeHtml(name)}</div>`;
  return `<tr><td style="padding:8px 4px 12px 4px;${FONT}">${top}${big}${sub}</td></tr>`;
}

/** The figures with a tile, two to a row, then those with a strip, a line each across the card. */
function headline(figures: readonly Figure[]): string {
  const tiles = figures.flatMap((f) =>
    f.tile ? [tile(f.tile.label, f.value, escapeHtml(f.tile.note), TONES[f.tile.tone])] : [],
  );
  const rows: string[] = [];
  for (let i = 0; i < tiles.length; i += 2) rows.push(`<tr>\n${tiles.slice(i, i + 2).join('\n')}\n</tr>`);
  const strip = `padding:6px 4px 0 4px;font-size:13px;line-height:19px;color:${MUTED};${FONT}`;
  for (const f of figures.filter((g) => g.strip))
    rows.push(
      `<tr><td colspan="2" style="${strip}"><strong style="color:${INK};">${escapeHtml(f.label)}:</strong> ${escapeHtml(f.value)}</td></tr>`,
    );
  return card(`<table ${TABLE}>${rows.join('')}</table>`);
}

function audited(ws: AuditedWorkspaceModel): string {
  const scope = `<div style="font-size:13px;line-height:18px;color:${MUTED};">${escapeHtml(ws.scope)}</div>`;
  const incomplete = ws.incomplete
    ? paragraph(
        `<strong style="color:${RED};">${escapeHtml(ws.incomplete.label ?? '')}</strong> ${escapeHtml(ws.incomplete.text)}`,
        INK,
      )
    : '';
  const notices = ws.notices
    .map((l) => paragraph(`<strong>${escapeHtml(l.label ?? '')}</strong> ${escapeHtml(l.text)}`, INK))
    .join('');
  return [
    title(ws.name, `${scope}${incomplete}${notices}`, ws.eyebrow),
    headline(ws.figures),
    ...ws.sections.map(sectionHtml),
  ].join('\n');
}

function failed(ws: FailedWorkspaceModel): string {
  const frame = `background:${BAD.bg};border:2px solid ${RED};border-radius:8px;`;
  const inner = `padding:16px;font-size:14px;line-height:21px;color:${INK};${FONT}`;
  const code = `${escapeHtml(ws.codeLabel)} <span style="${MONO}">${escapeHtml(ws.code)}</span>. ${escapeHtml(ws.note)}`;
  const box = `<table ${TABLE} style="${frame}" bgcolor="${BAD.bg}"><tr><td style="${inner}">
<div style="font-size:16px;line-height:22px;font-weight:700;color:${RED};">${escapeHtml(ws.title)}</div>
<div style="margin:6px 0 0 0;">${escapeHtml(ws.message)}</div>
<div style="margin:8px 0 0 0;font-size:12px;line-height:17px;color:${MUTED};">${code}</div>
</td></tr></table>`;
  return `${title(ws.name, '', ws.eyebrow)}\n<tr><td style="padding:0 0 16px 0;">${box}</td></tr>`;
}

export function workspaceHtml(ws: WorkspaceModel): string {
  return ws.ok ? audited(ws) : failed(ws);
}

/** One workspace's rows: an audit, or what failed and what to do. `eyebrow` labels it among several. */
export function renderWorkspaceSection(ws: WorkspaceOutcome, options: SectionOptions, eyebrow?: string): string {
  return workspaceHtml(workspaceModel(ws, options, eyebrow));
}
