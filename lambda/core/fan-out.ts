// Fan-out: one workspace per Step Functions task, and one roll-up email for the agency. What a
// workspace task hands the roll-up is a small summary of the same run the single function makes.
import { createHash } from 'node:crypto';
import { isAuditError, messageOf } from './errors';
import type { RunOutcome } from './run-types';
import type { ActionTriggers } from './types';
import { actionReasons, missingAgentCount } from './workspace';

/** A workspace task may come back this many times to go on with a long listing, then it fails. */
export const MAX_CONTINUATIONS = 10;

/** One client's row in the roll-up. */
export interface WorkspaceSummary {
  name: string;
  /** `failed`: not audited (see error); `incomplete`: audited, listing marked INCOMPLETE. */
  status: 'ok' | 'incomplete' | 'failed' | 'sent-earlier';
  numbers: number;
  unrouted: number;
  missingAgents: number;
  monthlyCost: number;
  /** Numbers added and removed since the client's baseline; null without a comparison. */
  changes: { added: number; removed: number } | null;
  incompleteReason?: string;
  error?: { code: string; message: string };
  /** The client's own email went out (message id), or it has no recipients (undefined). */
  emailed?: string;
  /** Findings that would put [Action needed] on this client's own report. */
  actionNeeded: boolean;
  /** Which of the actionTriggers fired (absent in summaries written before it was kept). */
  triggers?: Array<keyof ActionTriggers>;
}

/** The key of one schedule time (or one console execution): folders and claims are named by it. */
export function fanOutRunKey(input: { scheduleArn?: string; scheduledTime?: string; executionName: string }): string {
  if (input.scheduleArn && input.scheduledTime) {
    return createHash('sha256').update(`${input.scheduleArn}|${input.scheduledTime}`).digest('hex');
  }
  return `execution-${input.executionName.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 80)}`;
}

/** The version of the run's registry copy the plan step wrote: every task checks it reads that one. */
export function registryVersionOf(body: string): string {
  return createHash('sha256').update(body).digest('hex').slice(0, 16);
}

/** One client's email claim within a run: at most one email per schedule time per workspace. */
export function workspaceClaimKey(runKey: string, workspace: string): string {
  return createHash('sha256').update(`${runKey}|workspace|${workspace}`).digest('hex');
}

export function rollUpClaimKey(runKey: string): string {
  return createHash('sha256').update(`${runKey}|roll-up`).digest('hex');
}

/** The summary of a finished one-workspace run. */
export function summarizeRun(name: string, outcome: RunOutcome, triggers: ActionTriggers): WorkspaceSummary {
  if (outcome.status === 'duplicate') {
    // The client's email went out in an earlier attempt that died before leaving its summary.
    return { ...EMPTY, name, status: 'sent-earlier', actionNeeded: false };
  }
  const [ws] = outcome.workspaces;
  if (ws === undefined || !ws.ok) return failedSummary(name, ws && !ws.ok ? ws.error : undefined);
  const changes = ws.changes?.status === 'compared' ? ws.changes.changes : undefined;
  const fired = actionReasons([ws], triggers);
  return {
    name,
    status: ws.complete ? 'ok' : 'incomplete',
    numbers: ws.audit.total,
    unrouted: ws.audit.unrouted.length,
    missingAgents: missingAgentCount(ws),
    monthlyCost: ws.audit.cost.totalMonthly,
    changes: changes ? { added: changes.added.length, removed: changes.removed.length } : null,
    ...(ws.incompleteReason ? { incompleteReason: ws.incompleteReason } : {}),
    ...(outcome.email.messageId ? { emailed: outcome.email.messageId } : {}),
    actionNeeded: fired.length > 0,
    triggers: fired,
  };
}

const EMPTY = { numbers: 0, unrouted: 0, missingAgents: 0, monthlyCost: 0, changes: null };

export function failedSummary(name: string, error: { code: string; message: string } | undefined): WorkspaceSummary {
  return {
    ...EMPTY,
    name,
    status: 'failed',
    error: error ?? { code: 'UNEXPECTED', message: 'the workspace task failed without saying why' },
    actionNeeded: true,
  };
}

/** The error of a failed run as the roll-up shows it: the message already says what to do. */
export function errorOf(error: unknown): { code: string; message: string } {
  return { code: isAuditError(error) ? error.code : 'UNEXPECTED', message: messageOf(error) };
}

/** What Step Functions caught (`Sandbox.Timedout`, a Lambda error and its JSON cause) as the roll-up shows it. */
export function caughtFailure(error: { Error?: string; Cause?: string } | undefined): {
  code: string;
  message: string;
} {
  if (error === undefined) return { code: 'UNEXPECTED', message: 'the workspace task left no summary' };
  let cause = error.Cause ?? '';
  try {
    cause = (JSON.parse(cause) as { errorMessage?: string }).errorMessage ?? cause;
  } catch {
    // Not JSON: Step Functions' own causes are plain text.
  }
  const timedOut = /Timeout|Timedout/i.test(error.Error ?? '');
  return {
    code: error.Error ?? 'UNEXPECTED',
    message: timedOut
      ? `the workspace task timed out (${error.Error}); re-run this client alone to retry it`
      : `the workspace task failed: ${error.Error ?? 'error'}${cause ? `: ${cause.slice(0, 300)}` : ''}`,
  };
}
