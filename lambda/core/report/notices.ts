// The sentences about how far a listing can be trusted: the baseline guard's loud warning, a count
// nothing confirmed, filters the API ignored. Written once here; the model places them.
import type { BaselineGuard } from '../baseline-guard';
import type { WorkspaceAudit, WorkspaceOutcome } from '../workspace';
import { asSentence, formatCount, formatReportDate, plural } from './format';
import type { Banner, Callout, Line } from './model-types';

/** The run's guard title, e.g. "120 numbers missing since last week - verify before acting". */
export function missingTitle(missing: number): string {
  return `${plural(missing, 'number', 'numbers')} missing since last week - verify before acting`;
}

function held(w: WorkspaceOutcome): w is WorkspaceAudit & { baselineGuard: BaselineGuard } {
  return w.ok && w.baselineGuard?.status === 'held';
}

/** Numbers missing over the workspaces whose guard held; 0 when none did. */
export function heldMissing(workspaces: readonly WorkspaceOutcome[]): number {
  return workspaces.filter(held).reduce((sum, w) => sum + w.baselineGuard.missing, 0);
}

function since(ws: WorkspaceAudit, timeZone: string): string {
  return ws.changes?.status === 'compared'
    ? ` of ${formatReportDate(new Date(ws.changes.changes.previousGeneratedAt), timeZone)}`
    : '';
}

function lossText(guard: BaselineGuard): string {
  if (guard.rule === 'zero') return 'it listed none of them';
  const share = Math.round((guard.missing / guard.baselineTotal) * 100);
  const limit = guard.maxLossShare === null ? '' : ` (more than the ${Math.round(guard.maxLossShare * 100)}% allowed)`;
  return `${share}% of them are missing${limit}`;
}

/** The top banner when a guard held: a listing that lost most of the baseline must not be acted on. */
export function guardBanner(workspaces: readonly WorkspaceOutcome[], timeZone: string): Banner | undefined {
  const list = workspaces.filter(held);
  if (list.length === 0) return undefined;
  const reason = (w: (typeof list)[number]) =>
    `DialNexa listed ${formatCount(w.baselineGuard.listed)} numbers against ${formatCount(w.baselineGuard.baselineTotal)} ` +
    `in the report${since(w, timeZone)}; ${lossText(w.baselineGuard)}. This run is archived, but the next report ` +
    'still compares with that one.';
  return {
    title: missingTitle(heldMissing(workspaces)),
    reasons:
      workspaces.length === 1
        ? list.map((w) => ({ text: reason(w) }))
        : list.map((w) => ({ label: `${w.name}:`, text: reason(w) })),
    advice:
      'Check the numbers in DialNexa before releasing, buying or re-routing any. If they really are gone, ' +
      'run the audit again confirming the baseline (CLI --confirm-baseline, console event "confirmBaseline": true) ' +
      'so the next report compares with it.',
  };
}

/** In the changes section: the guard's verdict on this workspace. */
export function guardCallout(guard: BaselineGuard | undefined, becomesBaseline: boolean): Callout[] {
  if (!guard) return [];
  if (guard.status === 'held') {
    return [{ tone: 'bad', label: `${missingTitle(guard.missing)}.`, text: 'This run did not become the baseline.' }];
  }
  return [
    {
      tone: 'warn',
      label: `${plural(guard.missing, 'number', 'numbers')} missing since last week, confirmed by the operator:`,
      text: becomesBaseline
        ? 'this run is the new baseline.'
        : 'but this run does not become the baseline (a one-off or dry run, or its count is not confirmed).',
    },
  ];
}

/** Lines under a workspace's scope: a count nothing confirmed, filters the API ignored. */
export function workspaceNotices(ws: WorkspaceAudit): Line[] {
  const out: Line[] = [];
  if (ws.unverified) out.push({ label: 'Count not verified:', text: asSentence(ws.unverified) });
  if (ws.filtering?.appliedBy === 'client') {
    out.push({
      label: 'Filtered by this report:',
      text:
        'DialNexa ignored the filter and returned other numbers too, so this report applied it itself and left out ' +
        `${plural(ws.filtering.leftOut, 'number', 'numbers')} that do not match (or whose country or type is unknown).`,
    });
  }
  return out;
}
