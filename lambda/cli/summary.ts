// The short terminal summary the CLI (without --json) and the demo print: a country x type table,
// the findings, the monthly cost, what changed, and where the files went. Names, reasons and
// errors come from the API, SES or a history file, so every line is stripped of control characters.
import { INCOMPLETE_FALLBACK } from '../core/report/model-workspace';
import { notBaselineText } from '../core/baseline';
import { countryLabel, formatCount, formatUsd, typeLabel } from '../core/report/format';
import type { AuditRun } from '../core/run-audit';
import { ALL_NUMBER_TYPES, type AuditResult, type NumberType } from '../core/types';
import type { WorkspaceAudit } from '../core/workspace';
import { stripControls } from './sanitize';

export interface SummaryExtras {
  files?: Record<string, string>;
  /** "sent to a@x.com (message id ...)" or similar. */
  delivery?: string;
  wallMs?: number;
}

export function formatSummary(run: AuditRun, extras: SummaryExtras = {}): string {
  const audit = run.combined;
  const ok = run.workspaces.filter((w): w is WorkspaceAudit => w.ok);
  const title = run.workspaces.length === 1 ? run.workspaces[0].name : `${run.workspaces.length} workspaces`;
  const lines: string[] = [`${title}: ${formatCount(audit.total)} numbers (${runState(run, ok)})`, ''];
  lines.push(...countryTypeTable(audit), '');

  lines.push(`Unrouted (active, no inbound agent): ${formatCount(audit.unrouted.length)}`);
  for (const ws of ok) {
    const prefix = run.workspaces.length === 1 ? '' : `${ws.name}: `;
    if (ws.agents?.status === 'checked' && ws.agents.missing.length > 0) {
      lines.push(`${prefix}Routed to a missing agent: ${formatCount(ws.agents.missing.length)}`);
    } else if (ws.agents?.status === 'skipped') {
      lines.push(`${prefix}Agent check skipped: ${ws.agents.reason}`);
    }
  }
  if (audit.notActive.length) lines.push(`Not active (pending, expired, ...): ${formatCount(audit.notActive.length)}`);
  if (audit.cost.knownCount > 0) {
    const unknown = audit.cost.unknownCount ? ` (${formatCount(audit.cost.unknownCount)} numbers without a cost)` : '';
    lines.push(`Monthly cost: ${formatUsd(audit.cost.totalMonthly)}${unknown}`);
  }
  for (const ws of ok) {
    const line = changesLine(ws);
    if (line) lines.push(run.workspaces.length === 1 ? line : `${ws.name}: ${line}`);
  }
  for (const w of run.workspaces) if (!w.ok) lines.push(`FAILED ${w.name}: ${w.error.message}`);
  for (const a of run.archived) {
    const ws = ok.find((w) => w.name === a.workspace);
    lines.push(`History: ${a.location}${a.baseline ? '' : ` (not a baseline: ${whyNotBaseline(ws)})`}`);
  }
  if (extras.delivery) lines.push(`Email: ${extras.delivery}`);
  if (extras.files) {
    lines.push('', 'Files:');
    for (const [name, path] of Object.entries(extras.files)) lines.push(`  ${name.padEnd(12)} ${path}`);
  }
  if (extras.wallMs !== undefined) lines.push('', `Done in ${(extras.wallMs / 1000).toFixed(1)} s.`);
  return `${lines.map(stripControls).join('\n')}\n`;
}

/** The run's own decision (lambda/core/baseline.ts); a pointer already newer than ours counts as "newer run". */
function whyNotBaseline(ws: WorkspaceAudit | undefined): string {
  if (ws === undefined) return 'incomplete';
  if (ws.baseline.moves) return 'a newer run is already the baseline';
  const text = notBaselineText(ws.baseline.reason, ws.baselineGuard);
  return ws.baseline.reason === 'guard-held' ? `${text}; run again with --confirm-baseline if that is right` : text;
}

function runState(run: AuditRun, ok: WorkspaceAudit[]): string {
  if (run.complete) return 'complete';
  const reasons = ok.filter((w) => !w.complete).map((w) => w.incompleteReason ?? INCOMPLETE_FALLBACK);
  if (run.failedWorkspaces) reasons.push(`${run.failedWorkspaces} workspace(s) failed`);
  return `INCOMPLETE: ${reasons.join('; ')}`;
}

function changesLine(ws: WorkspaceAudit): string | null {
  const changes = ws.changes;
  if (changes === undefined) return null;
  if (changes.status === 'first-run') return 'Changes: none to show, this is the first run in the history';
  if (changes.status === 'skipped') return `Changes: skipped (${changes.reason})`;
  const c = changes.changes;
  const parts = [
    `+${formatCount(c.added.length)} added`,
    `-${formatCount(c.removed.length)} removed`,
    `${formatCount(c.routingChanged.length)} routing changes (${formatCount(c.newlyUnrouted.length)} newly unrouted, ${formatCount(c.newlyFixed.length)} fixed)`,
  ];
  if (c.statusChanged.length) parts.push(`${formatCount(c.statusChanged.length)} status changes`);
  return `Changes since ${c.previousGeneratedAt}: ${parts.join(', ')}`;
}

function countryTypeTable(audit: AuditResult): string[] {
  // Only the types that occur, so a filtered run does not print empty columns.
  const types = ALL_NUMBER_TYPES.filter((t) => audit.byType[t] > 0);
  const shownTypes: NumberType[] = types.length ? types : ['local'];
  // The audit's own order, as in the email: most numbers first, ties by code (code units), unknown last.
  const countries = Object.keys(audit.byCountryType);
  const header = ['Country', ...shownTypes.map(typeLabel), 'Total'];
  const rows = countries.map((c) => [
    countryLabel(c),
    ...shownTypes.map((t) => formatCount(audit.byCountryType[c]?.[t] ?? 0)),
    formatCount(audit.byCountry[c] ?? 0),
  ]);
  const total = ['Total', ...shownTypes.map((t) => formatCount(audit.byType[t])), formatCount(audit.total)];
  const widths = header.map((h, i) => Math.max(h.length, total[i].length, ...rows.map((r) => r[i].length)));
  const fmt = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [fmt(header), rule, ...rows.map(fmt), rule, fmt(total)];
}
