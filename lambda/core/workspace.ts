// One workspace's result as the orchestrator hands it to the report: either a full audit or a
// failure that must not sink the other workspaces of the same email.
import type { BaselineDecision } from './baseline';
import type { CostAttribution } from './attribution';
import type { BaselineGuard } from './baseline-guard';
import type { Changes } from './changes';
import type { FilterCheck } from './filters';
import type { SnapshotDraft } from './snapshot';
import { isUnreconciled, type Reconciliation } from './inventory';
import type { TrendPoint } from './trend';
import type { UsageCheck } from './usage';
import type { ActionTriggers, AgentCheck, AuditResult, ListFilters, ListingStats, PhoneNumber } from './types';

export type ChangesSection =
  /** No previous complete run. */
  | { status: 'first-run' }
  | { status: 'compared'; changes: Changes }
  /** Corrupt or older snapshot, filtered run, ...: the reason is shown as a warning. */
  | { status: 'skipped'; reason: string; historyUnreadable?: true };

export interface WorkspaceAudit {
  ok: true;
  name: string;
  filters: ListFilters;
  complete: boolean;
  incompleteReason?: string;
  /** A complete listing nothing confirmed the count of ("complete, unverified"): why. */
  unverified?: string;
  /** Filtered runs: whether the API applied the filters or we did. */
  filtering?: FilterCheck;
  /** Set when this run lost enough of the baseline to be held back from becoming it. */
  baselineGuard?: BaselineGuard;
  /** Whether this run becomes the baseline, and if not why: decided once, for every part. */
  baseline: BaselineDecision;
  reportedTotal: number | null;
  stats: ListingStats;
  numbers: PhoneNumber[];
  audit: AuditResult;
  /** undefined = not attempted. */
  agents?: AgentCheck;
  /** undefined = no history configured. */
  changes?: ChangesSection;
  /**
   * This week's snapshot file less its head, drafted to compare it with last week's and kept for the
   * archive, which makes the file from it once; undefined when nothing was compared.
   */
  snapshotDraft?: SnapshotDraft;
  /** Cost by inbound agent (use case) and by the agents' folders (teams). */
  attribution: CostAttribution;
  /** undefined = no inventory given for this workspace. */
  inventory?: InventorySection;
  /** Numbers nobody calls; undefined = not attempted. */
  usage?: UsageCheck;
  /** The last complete, unfiltered runs, this one included when it is one, oldest first; undefined = no history. */
  trend?: TrendPoint[];
}

export type InventorySection =
  | { status: 'reconciled'; reconciliation: Reconciliation }
  /** The object was there but could not be used (AWS: the report still goes out, saying why). */
  | { status: 'unreadable'; reason: string };

export interface WorkspaceFailure {
  ok: false;
  name: string;
  /** `message` already says what to do; it is shown as is. */
  error: { code: string; message: string };
}

export type WorkspaceOutcome = WorkspaceAudit | WorkspaceFailure;

/** Numbers routed to an agent that does not exist (0 when the check was skipped or not run). */
export function missingAgentCount(ws: WorkspaceAudit): number {
  return ws.agents?.status === 'checked' ? ws.agents.missing.length : 0;
}

/** Numbers gone since the previous complete run (0 without a comparison). */
export function removedCount(ws: WorkspaceAudit): number {
  return ws.changes?.status === 'compared' ? ws.changes.changes.removed.length : 0;
}

/** Numbers proven idle (0 when usage was not checked). */
export function idleCount(ws: WorkspaceAudit): number {
  return ws.usage?.status === 'checked' ? ws.usage.idle.length : 0;
}

const FIRES: { [K in keyof ActionTriggers]: (all: readonly WorkspaceOutcome[]) => boolean } = {
  unrouted: (all) => all.some((w) => w.ok && w.audit.unrouted.length > 0),
  missingAgents: (all) => all.some((w) => w.ok && missingAgentCount(w) > 0),
  removedNumbers: (all) => all.some((w) => w.ok && removedCount(w) > 0),
  failedWorkspaces: (all) => all.some((w) => !w.ok),
  unreconciled: (all) =>
    all.some((w) => w.ok && w.inventory?.status === 'reconciled' && isUnreconciled(w.inventory.reconciliation)),
  idle: (all) => all.some((w) => w.ok && idleCount(w) > 0),
};

const ORDER: ReadonlyArray<keyof ActionTriggers> = [
  'unrouted',
  'missingAgents',
  'removedNumbers',
  'failedWorkspaces',
  'unreconciled',
  'idle',
];

/** Triggers that fired, in order, e.g. ['unrouted', 'failedWorkspaces']. */
export function actionReasons(
  workspaces: readonly WorkspaceOutcome[],
  triggers: ActionTriggers,
): Array<keyof ActionTriggers> {
  return ORDER.filter((key) => triggers[key] && FIRES[key](workspaces));
}
