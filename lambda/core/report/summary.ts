// Figures across every workspace of one email, computed once so the subject, the combined
// table of the HTML and the text part always agree.
import type { AgentCheck, PhoneNumber } from '../types';
import { missingAgentCount, removedCount, type WorkspaceAudit, type WorkspaceOutcome } from '../workspace';
import { formatCount } from './format';

export interface ReportTotals {
  workspaces: number;
  failed: number;
  incomplete: number;
  /** Complete listings nothing confirmed the count of. */
  unverified: number;
  /** Workspaces whose baseline guard held. */
  held: number;
  /** Sums over the workspaces that were audited. */
  numbers: number;
  unrouted: number;
  missingAgents: number;
  removed: number;
  monthlyCost: number;
}

export function reportTotals(workspaces: readonly WorkspaceOutcome[]): ReportTotals {
  const out: ReportTotals = {
    workspaces: workspaces.length,
    failed: 0,
    incomplete: 0,
    unverified: 0,
    held: 0,
    numbers: 0,
    unrouted: 0,
    missingAgents: 0,
    removed: 0,
    monthlyCost: 0,
  };
  let cents = 0;
  for (const w of workspaces) {
    if (!w.ok) {
      out.failed += 1;
      continue;
    }
    if (!w.complete) out.incomplete += 1;
    if (w.complete && w.unverified) out.unverified += 1;
    if (w.baselineGuard?.status === 'held') out.held += 1;
    out.numbers += w.audit.total;
    out.unrouted += w.audit.unrouted.length;
    out.missingAgents += missingAgentCount(w);
    out.removed += removedCount(w);
    cents += Math.round(w.audit.cost.totalMonthly * 100);
  }
  out.monthlyCost = cents / 100;
  return out;
}

/**
 * The workspace of a one-workspace report. runAudit throws when its only workspace fails, so a
 * lone workspace is always audited; a lone failure would get the several-workspace layout.
 */
export function soleAudit(workspaces: readonly WorkspaceOutcome[]): WorkspaceAudit | undefined {
  const only = workspaces.length === 1 ? workspaces[0] : undefined;
  return only?.ok ? only : undefined;
}

export type WorkspaceState = 'OK' | 'INCOMPLETE' | 'VERIFY' | 'FAILED';

export function workspaceState(w: WorkspaceOutcome): WorkspaceState {
  if (!w.ok) return 'FAILED';
  if (!w.complete) return 'INCOMPLETE';
  return w.baselineGuard?.status === 'held' ? 'VERIFY' : 'OK';
}

/** Missing-agent column of the combined table: a count, or why there is none. */
export function missingAgentsCell(w: WorkspaceAudit): string {
  if (!w.agents) return '-';
  return w.agents.status === 'checked' ? formatCount(w.agents.missing.length) : 'skipped';
}

/** Changes column of the combined table: "+5 -2", "none", "first run", "skipped" or "-" (no history). */
export function changesCell(w: WorkspaceAudit): string {
  const c = w.changes;
  if (!c) return '-';
  if (c.status === 'first-run') return 'first run';
  if (c.status === 'skipped') return 'skipped';
  const { added, removed } = c.changes;
  if (added.length === 0 && removed.length === 0) return 'none';
  return [
    added.length > 0 ? `+${formatCount(added.length)}` : '',
    removed.length > 0 ? `-${formatCount(removed.length)}` : '',
  ]
    .filter((s) => s !== '')
    .join(' ');
}

/** Routed numbers per existing agent, most numbers first, then agent id. */
export function routedByAgent(
  numbers: readonly PhoneNumber[],
  check: AgentCheck | undefined,
): Array<{ id: string; name: string | null; numbers: number }> {
  if (check?.status !== 'checked') return [];
  const perAgent = new Map<string, number>();
  for (const n of numbers) {
    if (n.inboundAgentId !== null && Object.hasOwn(check.names, n.inboundAgentId)) {
      perAgent.set(n.inboundAgentId, (perAgent.get(n.inboundAgentId) ?? 0) + 1);
    }
  }
  return [...perAgent.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([id, count]) => ({ id, name: check.names[id] ?? null, numbers: count }));
}
