// One workspace of the report: its header, headline figures and sections, or why it failed.
import { boundText, SERVER_TEXT_MAX_CHARS } from '../api-text';
import { ALL_NUMBER_TYPES, type AuditResult, type ListFilters } from '../types';
import type { WorkspaceAudit, WorkspaceFailure, WorkspaceOutcome } from '../workspace';
import { unroutedLimit, type ReportContext } from './context';
import { describeFilters, formatCount, formatUsd, typeLabel } from './format';
import {
  type AuditedWorkspaceModel,
  type FailedWorkspaceModel,
  type Figure,
  type Line,
  type Section,
  section,
  type WorkspaceModel,
} from './model-types';
import { guardCallout, workspaceNotices } from './notices';
import { changesSection } from './section-changes';
import { agentsSection, missingAgentSection, unroutedSection } from './section-findings';
import { costSection, countryTypeSection, statusSection } from './section-inventory';
import { reconciliationSection, useCaseSection } from './section-usecase';
import { trendSection } from './section-trend';
import { idleSection } from './section-usage';

export type SectionOptions = Pick<ReportContext, 'timeZone' | 'attachment' | 'unroutedLimit'>;

export const INCOMPLETE_FALLBACK = 'The number listing did not match the total the API reported.';

function scopeLine(filters: ListFilters): string {
  const described = describeFilters(filters);
  return described === 'all numbers' ? 'All numbers in the workspace' : `Filtered: ${described}`;
}

function incompleteLine(ws: WorkspaceAudit): Line | undefined {
  if (ws.complete) return undefined;
  const text = `${ws.incompleteReason ?? INCOMPLETE_FALLBACK} The figures below may be missing numbers.`;
  return { label: 'Incomplete listing:', text };
}

/** "1,025 local, 150 toll-free, 75 mobile": the types the workspace has, most first. */
function typeSplit(audit: AuditResult): string {
  const types = ALL_NUMBER_TYPES.filter((t) => audit.byType[t] > 0).sort((a, b) => audit.byType[b] - audit.byType[a]);
  return types.map((t) => `${formatCount(audit.byType[t])} ${typeLabel(t).toLowerCase()}`).join(', ') || 'none';
}

/** The text part lists them all; the HTML shows those with a tile, then those with a strip. */
function figures(ws: WorkspaceAudit): Figure[] {
  const { audit } = ws;
  const unrouted = audit.unrouted.length;
  const countries = Object.keys(audit.byCountry).filter((c) => c !== 'unknown').length;
  const unknownCountry = audit.byCountry.unknown ?? 0;
  const notActive = formatCount(audit.notActive.length);
  const unpriced = audit.cost.unknownCount;
  const out: Figure[] = [
    {
      label: 'Numbers',
      value: formatCount(audit.total),
      tile: { label: 'Numbers', note: `${notActive} not active`, tone: 'neutral' },
    },
    { label: 'By type', value: typeSplit(audit), strip: true },
    {
      label: 'Unrouted',
      value: formatCount(unrouted),
      tile:
        unrouted > 0
          ? { label: 'Unrouted', note: 'calls to these are rejected', tone: 'bad' }
          : { label: 'Unrouted', note: 'every active number has an agent', tone: 'good' },
    },
  ];
  if (ws.agents?.status === 'checked')
    out.push({ label: 'Routed to a missing agent', value: formatCount(ws.agents.missing.length) });
  if (ws.usage?.status === 'checked') {
    const { usage } = ws;
    out.push({
      label: `Idle (no call in ${usage.windowDays} days)`,
      value: `${formatCount(usage.idle.length)} (${formatUsd(usage.idleMonthly)} a month)`,
    });
  }
  const countryNote = unknownCountry > 0 ? `+ ${formatCount(unknownCountry)} without a country` : 'with numbers';
  const costNote = unpriced === 0 ? 'all numbers priced' : `${formatCount(unpriced)} without a cost`;
  out.push(
    { label: 'Not active', value: notActive },
    {
      label: 'Countries',
      value: formatCount(countries),
      tile: { label: 'Countries', note: countryNote, tone: 'neutral' },
    },
    {
      label: 'Monthly cost (known)',
      value: formatUsd(audit.cost.totalMonthly),
      tile: { label: 'Monthly cost', note: costNote, tone: 'neutral' },
    },
    { label: 'Numbers without a cost', value: formatCount(unpriced) },
  );
  return out;
}

/** The changes section, led by the baseline guard's verdict when it fired. */
function changes(ws: WorkspaceAudit, timeZone: string): Section[] {
  const guard = guardCallout(ws.baselineGuard, ws.baseline.moves);
  return changesSection(ws.changes, ws.agents, timeZone).map((s) => ({ ...s, callouts: [...guard, ...s.callouts] }));
}

function audited(ws: WorkspaceAudit, options: SectionOptions, eyebrow?: string): AuditedWorkspaceModel {
  const limit = unroutedLimit(options);
  const incomplete = incompleteLine(ws);
  return {
    ok: true,
    name: ws.name,
    ...(eyebrow ? { eyebrow } : {}),
    scope: scopeLine(ws.filters),
    ...(incomplete ? { incomplete } : {}),
    notices: workspaceNotices(ws),
    figures: figures(ws),
    sections: options.attachment === 'summary' ? [tooLargeSection()] : sections(ws, options, limit),
  };
}

/** The last resort when even the report without its CSV does not fit in an email. */
function tooLargeSection(): Section {
  return section('too-large', 'Full report left out', {
    lead: [
      'The full report did not fit in an email (SES takes at most 10 MB), so this one holds only the headline figures.',
      'Run the audit again with a filter (country or type), or read the archived run, for the details.',
    ],
  });
}

/**
 * What to act on first (unrouted, missing agents, idle, reconciliation), then what changed, then
 * the breakdowns and charts: the reader meets the work before the context.
 */
function sections(ws: WorkspaceAudit, options: SectionOptions, limit: number): Section[] {
  const newlyUnrouted = ws.changes?.status === 'compared' ? ws.changes.changes.newlyUnrouted : [];
  return [
    unroutedSection(ws.audit, limit, options.attachment, newlyUnrouted),
    ...missingAgentSection(ws.agents, limit, options.attachment),
    ...idleSection(ws.usage, limit, options.attachment),
    ...reconciliationSection(ws.inventory),
    ...changes(ws, options.timeZone),
    ...agentsSection(ws.numbers, ws.agents),
    countryTypeSection(ws.audit),
    costSection(ws.audit),
    ...useCaseSection(ws),
    statusSection(ws.audit),
    ...trendSection(ws.trend, options.timeZone),
  ];
}

function failed(ws: WorkspaceFailure, eyebrow?: string): FailedWorkspaceModel {
  return {
    ok: false,
    name: ws.name,
    ...(eyebrow ? { eyebrow } : {}),
    title: 'This workspace could not be audited',
    // Error text can quote a server's answer: bounded like any API text.
    message: boundText(ws.error.message, SERVER_TEXT_MAX_CHARS),
    codeLabel: 'Error code:',
    code: ws.error.code,
    note: 'None of its numbers are in this report or the CSV.',
  };
}

/** One workspace; `eyebrow` labels it among several. */
export function workspaceModel(ws: WorkspaceOutcome, options: SectionOptions, eyebrow?: string): WorkspaceModel {
  return ws.ok ? audited(ws, options, eyebrow) : failed(ws, eyebrow);
}
