// Fan-out's run event: the one the single function puts (run-event.ts, the same schema), built from
// the clients' summaries, once per execution by the roll-up.
import type { WorkspaceSummary } from '../core/fan-out';
import { rollUpTotals } from '../core/report/roll-up';
import type { ActionTriggers } from '../core/types';
import { ACTION_TRIGGERS } from '../settings';
import { RUN_EVENT, type RunEvent, type RunEventDetail, scheduledTimeOf } from './run-event';

type SentDetail = Exclude<RunEventDetail, { status: 'failed' }>;

/** A client as the event lists it; its figures come from its summary (no archive location, no idle count). */
function clientOf(s: WorkspaceSummary): SentDetail['workspaces'][number] {
  if (s.status === 'failed') return { name: s.name, ok: false, errorCode: s.error?.code ?? 'UNEXPECTED' };
  // Its email went out in an attempt that died before saving its figures.
  if (s.status === 'sent-earlier') return { name: s.name, ok: false, errorCode: 'FIGURES_NOT_SAVED' };
  return {
    name: s.name,
    ok: true,
    complete: s.status === 'ok',
    total: s.numbers,
    unroutedCount: s.unrouted,
    missingAgentCount: s.missingAgents,
    idleCount: null,
    totalMonthly: s.monthlyCost,
    archive: null,
  };
}

/** The execution's event: Completed when every client was audited completely, else Incomplete. */
export function rollUpRunEvent(
  summaries: readonly WorkspaceSummary[],
  run: { runId: string; rawInput: unknown; generatedAt: Date; triggers: ActionTriggers },
): RunEvent {
  const totals = rollUpTotals(summaries);
  const complete = summaries.every((s) => s.status === 'ok');
  const fired = new Set(summaries.flatMap((s) => s.triggers ?? []));
  if (totals.failed > 0 && run.triggers.failedWorkspaces) fired.add('failedWorkspaces');
  const [only] = summaries.length === 1 ? summaries : [];
  return {
    detailType: complete ? RUN_EVENT.detailType.completed : RUN_EVENT.detailType.incomplete,
    detail: {
      schemaVersion: RUN_EVENT.schemaVersion,
      status: complete ? 'completed' : 'incomplete',
      runId: run.runId,
      scheduledTime: scheduledTimeOf(run.rawInput),
      generatedAt: run.generatedAt.toISOString(),
      workspace: only ? only.name : null,
      workspaces: summaries.map(clientOf),
      complete,
      filtered: false,
      failedWorkspaces: totals.failed,
      total: totals.numbers,
      unroutedCount: totals.unrouted,
      missingAgentCount: totals.missingAgents,
      idleCount: null,
      totalMonthly: totals.monthlyCost,
      currency: 'USD',
      actionNeeded: totals.actionNeeded > 0,
      triggers: ACTION_TRIGGERS.filter((t) => fired.has(t)),
      archive: null,
    },
  };
}
