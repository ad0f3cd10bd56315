// What a workspace is checked against that does not depend on its numbers (its agents, their
// folders, page 1 of the usage sweep) is asked for while the numbers are listed. At 100 ms a
// request those round trips came after the listing, and were most of a 20k-number run's wait
// between the last page and the report.
import type { AgentLister, CallLister, FolderLister, WorkspaceSpec } from './ports';
import type { RunAuditOptions } from './run-types';
import type { Agent, Folder } from './types';
import {
  DEFAULT_USAGE_REQUEST_BUDGET,
  DEFAULT_USAGE_WINDOW_DAYS,
  type StartedUsageCheck,
  startUsageCheck,
} from './usage';

export interface EarlyReads {
  /** Undefined when agents are not checked (setting off, or a lister that cannot list them). */
  agents?: Promise<Agent[]>;
  /** Read once the agents are; undefined when the agents could not be read or folders cannot be listed. */
  folders?: Promise<Folder[] | undefined>;
  usage?: StartedUsageCheck;
}

/**
 * Starts the reads. A read that fails is reported where its result is used, as before; until then
 * (and if the listing fails first and nobody asks) it must not become an unhandled rejection.
 * `signal` stops them all: the run aborts it when the listing fails or pauses, so no request or
 * retry outlives the run that wanted it.
 */
export function startEarlyReads(
  ws: WorkspaceSpec,
  options: RunAuditOptions,
  { now, signal }: { now: Date; signal: AbortSignal },
): EarlyReads {
  const { lister } = ws;
  const deadline = options.listDeadline;
  const reads: EarlyReads = {};
  if (options.checkAgents !== false && canListAgents(lister)) {
    const agents = lister.listAgents({ deadline, signal });
    reads.agents = quiet(agents);
    // Folders only name the teams of agents that could be read: none are asked for when that failed.
    if (canListFolders(lister))
      reads.folders = quiet(
        agents.then(
          () => lister.listFolders({ deadline, signal }),
          () => undefined,
        ),
      );
  }
  if (options.checkUsage !== false && canListCalls(lister)) {
    reads.usage = startUsageCheck(lister, {
      windowDays: options.usageWindowDays ?? DEFAULT_USAGE_WINDOW_DAYS,
      budget: options.usageRequestBudget ?? DEFAULT_USAGE_REQUEST_BUDGET,
      now,
      signal,
      ...(options.listDeadline === undefined ? {} : { deadline: options.listDeadline }),
    });
  }
  return reads;
}

function quiet<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

function canListAgents(lister: WorkspaceSpec['lister']): lister is WorkspaceSpec['lister'] & AgentLister {
  return typeof lister.listAgents === 'function';
}

function canListFolders(lister: WorkspaceSpec['lister']): lister is WorkspaceSpec['lister'] & FolderLister {
  return typeof lister.listFolders === 'function';
}

function canListCalls(lister: WorkspaceSpec['lister']): lister is WorkspaceSpec['lister'] & CallLister {
  return typeof lister.listCalls === 'function';
}
