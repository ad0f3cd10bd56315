// buildReport: the whole email as data, in reading order (incomplete warning, combined table,
// each workspace's findings, changes and breakdowns, footer). Pure: same context, same model.
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
import type { Cell, Line, ReportModel, Section, Tone } from './model-types';
import { section } from './model-types';
import { INCOMPLETE_FALLBACK, workspaceModel } from './model-workspace';
import { guardBanner, heldMissing, missingTitle } from './notices';
import { renderSubject } from './subject';
import {
  changesCell,
  missingAgentsCell,
  reportTotals,
  soleAudit,
  workspaceState,
  type WorkspaceState,
} from './summary';

export type * from './model-types';
export { INCOMPLETE_FALLBACK, workspaceModel, type SectionOptions } from './model-workspace';

const STATE_TONES: Record<WorkspaceState, Tone> = { OK: 'good', INCOMPLETE: 'warn', VERIFY: 'bad', FAILED: 'bad' };

function incomplete(workspaces: readonly WorkspaceOutcome[]): ReportModel['incomplete'] {
  const listed = workspaces.filter((w): w is WorkspaceAudit => w.ok && !w.complete);
  if (listed.length === 0) return undefined;
  const reason = (w: WorkspaceAudit) => w.incompleteReason ?? INCOMPLETE_FALLBACK;
  const reasons: Line[] =
    workspaces.length === 1
      ? listed.map((w) => ({ text: reason(w) }))
      : listed.map((w) => ({ label: `${w.name}:`, text: reason(w) }));
  return { title: 'INCOMPLETE REPORT', reasons, advice: 'Do not act on missing numbers: some may not be listed.' };
}

function summaryRow(w: WorkspaceOutcome): Cell[] {
  const state = workspaceState(w);
  const badge: Cell = { kind: 'badge', text: state, tone: STATE_TONES[state] };
  const name: Cell = { kind: 'strong', text: w.name };
  if (!w.ok) return [name, ...Array.from({ length: 4 }, (): Cell => ({ kind: 'blank', text: '-' })), badge];
  const unrouted = w.audit.unrouted.length;
  return [
    name,
    formatCount(w.audit.total),
    unrouted > 0 ? { kind: 'strong', text: formatCount(unrouted), tone: 'bad' } : { kind: 'count', n: 0 },
    missingAgentsCell(w),
    { kind: 'loose', text: changesCell(w) },
    badge,
  ];
}

/** The combined table of a several-workspace email; it must fit a 375 px phone, so short labels. */
function summary(workspaces: readonly WorkspaceOutcome[]): Section {
  const t = reportTotals(workspaces);
  const bits = [`${formatCount(t.numbers)} numbers`, `${formatCount(t.unrouted)} unrouted`];
  if (t.missingAgents > 0) bits.push(`${formatCount(t.missingAgents)} routed to a missing agent`);
  if (t.failed > 0) bits.push(`${plural(t.failed, 'workspace', 'workspaces')} failed`);
  return section('workspaces', `${formatCount(t.workspaces)} workspaces`, {
    lead: [`${bits.join(', ')}.`],
    tables: [
      {
        columns: [
          { label: 'Workspace', align: 'left', wrap: true },
          { label: 'Total', align: 'right' },
          { label: 'Unrouted', align: 'right' },
          { label: 'Missing agents', align: 'right' },
          { label: 'Changes', align: 'right', wrap: true },
          { label: 'Status', align: 'left' },
        ],
        rows: workspaces.map(summaryRow),
        totals: ['Total', formatCount(t.numbers), formatCount(t.unrouted), formatCount(t.missingAgents), '', ''],
        density: 'compact',
      },
    ],
    notes: [
      {
        text: 'Changes: numbers added (+) and removed (-) since the previous report. Each workspace has its own section below.',
      },
    ],
  });
}

function preview(workspaces: readonly WorkspaceOutcome[]): string {
  const t = reportTotals(workspaces);
  const several = workspaces.length === 1 ? '' : `${formatCount(t.workspaces)} workspaces, `;
  const failed = t.failed > 0 ? ` ${formatCount(t.failed)} failed.` : '';
  const known = `${formatCount(t.numbers)} numbers, ${formatCount(t.unrouted)} unrouted, ${formatUsd(t.monthlyCost)} a month known.`;
  const missing = heldMissing(workspaces);
  const verify = missing > 0 ? `${missingTitle(missing)}. ` : '';
  return `${t.incomplete > 0 ? 'INCOMPLETE. ' : ''}${verify}${several}${known}${failed}`;
}

function footer(ctx: ReportContext): ReportModel['footer'] {
  const only = soleAudit(ctx.workspaces);
  const where = only
    ? [
        { label: 'Workspace', text: only.name },
        { label: 'Scope', text: describeFilters(only.filters) },
      ]
    : [{ label: 'Workspaces', text: ctx.workspaces.map((w) => w.name).join(', ') }];
  return {
    lines: [
      { label: 'Generated', text: formatDateTime(ctx.generatedAt, ctx.timeZone) },
      ...where,
      { label: 'Attachment', text: describeAttachment(ctx.attachment, ctx.attachmentNote) },
      { label: 'On demand', text: ctx.onDemandHint },
    ],
    note: 'Unrouted means active (or without a status) and with no inbound agent. Types marked * were worked out from the number.',
  };
}

export function buildReport(ctx: ReportContext): ReportModel {
  const { workspaces } = ctx;
  const several = soleAudit(workspaces) === undefined;
  const warning = incomplete(workspaces);
  const verify = guardBanner(workspaces, ctx.timeZone);
  return {
    title: 'DialNexa number audit',
    date: formatReportDate(ctx.generatedAt, ctx.timeZone),
    subject: renderSubject(ctx),
    preview: preview(workspaces),
    ...(warning ? { incomplete: warning } : {}),
    ...(verify ? { verify } : {}),
    ...(several ? { summary: summary(workspaces) } : {}),
    workspaces: workspaces.map((w, i) =>
      workspaceModel(w, ctx, several ? `Workspace ${i + 1} of ${workspaces.length}` : undefined),
    ),
    footer: footer(ctx),
  };
}
