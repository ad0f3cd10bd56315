// Running the workspaces of one run: each one is listed -> normalized -> costed -> checked against
// the filters -> audited -> agent-checked -> compared with its baseline (and guarded), all at once. A failed workspace becomes
// its own section unless it is the only one.
import { boundText, cleanApiText, SERVER_TEXT_MAX_CHARS } from './api-text';
import { decideBaseline, ruledOutBeforeListing } from './baseline';
import { checkAgents } from './agents';
import { attributeCosts, type UseCaseInput } from './attribution';
import { auditNumbers } from './audit';
import { guardBaseline } from './baseline-guard';
import { AllWorkspacesFailedError, isAuditError, messageOf, PermissionError } from './errors';
import { applyFilters, isUnfiltered } from './filters';
import { changesSince } from './history';
import { AheadNormalizer, normalizeAgent, normalizeFolder } from './normalize';
import { sortByCountryThenNumber } from './number-order';
import { reconcile } from './inventory';
import { type EarlyReads, startEarlyReads } from './early-reads';
import type { InventorySource, ListOptions, Logger, RunAuditDeps, WorkspaceSpec } from './ports';
import { applyRateCard } from './rate-card';
import type { RunAuditOptions } from './run-types';
import { runSummary, TREND_RUNS, trendOf, type RunSummary } from './trend';
import type { Agent, AgentCheck, Folder, ListFilters, Listing, PhoneNumber } from './types';
import type { StartedUsageCheck, UsageCheck } from './usage';
import type { InventorySection, WorkspaceAudit, WorkspaceFailure, WorkspaceOutcome } from './workspace';

/** The workspaces of a run, at least one of them read. */

/** The warning an incomplete listing logs; the CLI says it once at the end instead. */

/** Why a filtered run is not reconciled: every inventory number outside the filter would look missing. */
const FILTERED_INVENTORY =
  'this run is filtered, and the inventory is reconciled with unfiltered runs only (its other numbers would all look missing)';
export const INCOMPLETE_LISTING_WARNING = 'listing is incomplete; the report is marked INCOMPLETE';

export interface AuditedWorkspaces {
  filters: ListFilters;
  /** In the order of `options.workspaces`. */
  outcomes: WorkspaceOutcome[];
  ok: [WorkspaceAudit, ...WorkspaceAudit[]];
}

/** A failure keeps the error it came from, so a single workspace's run can fail with it. */
type WorkspaceAttempt = { ok: true; audit: WorkspaceAudit } | { ok: false; failure: WorkspaceFailure; error: unknown };

export async function auditWorkspaces(deps: RunAuditDeps, options: RunAuditOptions): Promise<AuditedWorkspaces> {
  const filters = options.filters ?? {};
  const attempts = await Promise.all(options.workspaces.map((ws) => attemptWorkspace(deps, options, ws, filters)));
  // One workspace: its failure is the run's failure (the caller maps 401/403/... to its surface).
  // Several: a failed workspace gets its own section and the others still go out; when none could
  // be read there is nothing to report, and failing lets the platform retry.
  const [first] = attempts;
  if (attempts.length === 1 && first !== undefined && !first.ok) throw first.error;
  const outcomes = attempts.map((a) => (a.ok ? a.audit : a.failure));
  const ok = attempts.flatMap((a) => (a.ok ? [a.audit] : []));
  const [head, ...rest] = ok;
  if (head === undefined) {
    throw new AllWorkspacesFailedError(
      `every workspace failed: ${outcomes.map((o) => `${o.name}: ${o.ok ? '' : o.error.message}`).join('; ')}`,
    );
  }
  return { filters, outcomes, ok: [head, ...rest] };
}

async function attemptWorkspace(
  deps: RunAuditDeps,
  options: RunAuditOptions,
  ws: WorkspaceSpec,
  filters: ListFilters,
): Promise<WorkspaceAttempt> {
  try {
    return { ok: true, audit: await auditWorkspace(deps, options, ws, filters) };
  } catch (error) {
    const failure: WorkspaceFailure = {
      ok: false,
      name: ws.name,
      error: { code: isAuditError(error) ? error.code : 'UNEXPECTED', message: messageOf(error) },
    };
    deps.logger.error('workspace failed', { workspace: ws.name, ...failure.error });
    return { ok: false, failure, error };
  }
}

async function auditWorkspace(
  deps: RunAuditDeps,
  options: RunAuditOptions,
  ws: WorkspaceSpec,
  filters: ListFilters,
): Promise<WorkspaceAudit> {
  const stopEarly = new AbortController();
  try {
    return await auditListed(deps, options, ws, { filters, signal: stopEarly.signal });
  } finally {
    // Failed, paused (a continued listing) or done: no read started beside the listing outlives it.
    stopEarly.abort(new Error('the workspace is done; reads started beside its listing are not needed'));
  }
}

async function auditListed(
  deps: RunAuditDeps,
  options: RunAuditOptions,
  ws: WorkspaceSpec,
  { filters, signal }: { filters: ListFilters; signal: AbortSignal },
): Promise<WorkspaceAudit> {
  const { logger } = deps;
  const early = startEarlyReads(ws, options, { now: deps.now(), signal });
  const { listing, listed } = await listNumbers(deps, options, ws, filters);
  const { numbers, check } = applyFilters(listed, filters);
  if (check?.appliedBy === 'client') {
    logger.warn('DialNexa ignored the filters; the report is filtered on our side', {
      workspace: ws.name,
      filters,
      leftOut: check.leftOut,
    });
  }
  const recent = recentRuns(deps, ws.name);
  const { useCases, changes, snapshotDraft, inventory, usage } = await sideChecks(deps, ws, {
    filters,
    listing,
    numbers,
    early,
    keepDraft: keepsDraft(options),
  });
  const { agents } = useCases;
  const guard = guardBaseline(changes?.status === 'compared' ? changes.changes : undefined, numbers.length, {
    maxLossShare: options.maxBaselineLoss,
    confirmed: options.confirmBaseline === true,
  });
  if (guard) logger.warn('numbers missing since the baseline; verify before acting', { workspace: ws.name, ...guard });
  const baseline = decideBaseline({
    ...baselineFacts(deps, options, filters),
    complete: listing.complete,
    unverified: listing.unverified,
    changes,
    listed: numbers.length,
    guard,
  });

  const audited: WorkspaceAudit = {
    ok: true,
    name: ws.name,
    filters,
    complete: listing.complete,
    // Both can quote what the server sent: bounded like any server text, once, for every part.
    ...(listing.incompleteReason ? { incompleteReason: serverText(listing.incompleteReason) } : {}),
    ...(listing.unverified ? { unverified: serverText(listing.unverified) } : {}),
    ...(check ? { filtering: check } : {}),
    ...(guard ? { baselineGuard: guard } : {}),
    baseline,
    reportedTotal: listing.reportedTotal,
    stats: listing.stats,
    numbers,
    audit: auditNumbers(numbers),
    agents,
    changes,
    ...(snapshotDraft ? { snapshotDraft } : {}),
    attribution: attributeCosts(numbers, useCases),
    ...(inventory ? { inventory } : {}),
    ...(usage ? { usage } : {}),
  };
  const previous = await recent;
  return previous === undefined ? audited : { ...audited, trend: trendOf(previous, runSummary(audited, deps.now())) };
}

/** A listing's facts without its records. */
type ListingFacts = Omit<Listing, 'records'>;

/**
 * The workspace's numbers, normalized as their pages arrive and sorted once (the CSV, the snapshot
 * and the changes read them in this order). The raw records are not returned: nothing after this
 * reads them, and at 100k numbers they are ~30 MB the rest of the run need not hold.
 */
async function listNumbers(
  deps: RunAuditDeps,
  options: RunAuditOptions,
  ws: WorkspaceSpec,
  filters: ListFilters,
): Promise<{ listing: ListingFacts; listed: PhoneNumber[] }> {
  const ahead = new AheadNormalizer();
  const { records, ...listing } = await listWorkspace(deps, options, ws, { filters, onRecords: ahead.take });
  const listed = sortByCountryThenNumber(applyRateCard(ahead.all(records), options.rateCard));
  return { listing, listed };
}

/**
 * Whether the snapshot draft made for the changes is kept for the archive: only in a run of one
 * workspace that writes history, whose files render ahead while its email is built. A run of
 * several renders each workspace's file just before writing it, so it holds one at a time.
 */
function keepsDraft(options: RunAuditOptions): boolean {
  return options.writeHistory === true && options.workspaces.length === 1;
}

/** What a workspace's numbers are checked against besides themselves, all at once. */
async function sideChecks(
  deps: RunAuditDeps,
  ws: WorkspaceSpec,
  {
    filters,
    listing,
    numbers,
    early,
    keepDraft,
  }: { filters: ListFilters; listing: ListingFacts; numbers: PhoneNumber[]; early: EarlyReads; keepDraft: boolean },
) {
  const { logger } = deps;
  const [useCases, compared, inventory, usage] = await Promise.all([
    readUseCases(ws.name, numbers, early, logger),
    deps.archive ? changesSince(deps.archive, ws.name, filters, listing.complete, numbers, logger) : undefined,
    deps.inventory === undefined
      ? undefined
      : isUnfiltered(filters)
        ? inventorySection(deps.inventory, ws.name, numbers, logger)
        : { status: 'unreadable' as const, reason: FILTERED_INVENTORY },
    early.usage === undefined ? undefined : usageCheck(ws.name, early.usage, numbers, logger),
  ]);
  const snapshotDraft = keepDraft ? compared?.draft : undefined;
  return { useCases, changes: compared?.section, snapshotDraft, inventory, usage };
}

/** The archive's latest runs for the trend, read while the workspace is checked; undefined without them. */
async function recentRuns(deps: RunAuditDeps, workspace: string): Promise<RunSummary[] | undefined> {
  const { archive } = deps;
  if (archive?.readRecentRuns === undefined) return undefined;
  try {
    return await archive.readRecentRuns(workspace, TREND_RUNS);
  } catch (error) {
    deps.logger.warn('earlier runs could not be read; no trend this time', { workspace, message: messageOf(error) });
    return undefined;
  }
}

/** Lists the workspace, verifying a count without a total when this run may become the baseline. */
async function listWorkspace(
  deps: RunAuditDeps,
  options: RunAuditOptions,
  ws: WorkspaceSpec,
  { filters, onRecords }: Pick<ListOptions, 'onRecords'> & { filters: ListFilters },
): Promise<Listing> {
  const { logger } = deps;
  const { onProgress } = options;
  const listing = await ws.lister.listAll({
    filters,
    onRecords,
    deadline: options.listDeadline,
    onProgress: onProgress && ((p) => onProgress(ws.name, p)),
    verify: mayMoveBaseline(deps, options, filters),
  });
  logger.info('listing finished', {
    workspace: ws.name,
    ...listing.stats,
    reportedTotal: listing.reportedTotal,
    complete: listing.complete,
    verified: listing.unverified === undefined,
  });
  if (!listing.complete) {
    logger.warn(INCOMPLETE_LISTING_WARNING, {
      workspace: ws.name,
      reason: listing.incompleteReason,
    });
  }
  return listing;
}

/** Listing twice to verify a count is worth it only for a run that may become the baseline. */
function mayMoveBaseline(deps: RunAuditDeps, options: RunAuditOptions, filters: ListFilters): boolean {
  return ruledOutBeforeListing(baselineFacts(deps, options, filters)) === undefined;
}

function baselineFacts(deps: RunAuditDeps, options: RunAuditOptions, filters: ListFilters) {
  return {
    history: deps.archive !== undefined && options.writeHistory === true,
    moveBaseline: options.moveBaseline !== false,
    filters,
  };
}

/** Agents, then their folders: who each number's cost goes to. */
async function readUseCases(
  workspace: string,
  numbers: readonly PhoneNumber[],
  early: EarlyReads,
  logger: Logger,
): Promise<UseCaseInput> {
  if (early.agents === undefined) return { agents: undefined, agentList: [], folders: undefined };
  const agents = await agentCheck(workspace, early.agents, numbers, logger);
  const folders =
    agents.check.status === 'checked' && early.folders !== undefined
      ? await folderRead(workspace, early.folders, logger)
      : undefined;
  return { agents: agents.check, agentList: agents.list, folders };
}

async function folderRead(
  workspace: string,
  read: Promise<Folder[] | undefined>,
  logger: Logger,
): Promise<UseCaseInput['folders']> {
  try {
    return { status: 'read', folders: ((await read) ?? []).map(normalizeFolder) };
  } catch (error) {
    // Folder names are a nicety too: costs are still attributed by agent and by folder id.
    const reason =
      error instanceof PermissionError
        ? 'the API key may not read folders (403); give it read access to folders to name the teams'
        : `folders could not be read: ${messageOf(error)}`;
    logger.warn('folder names skipped', { workspace, reason });
    return { status: 'skipped', reason };
  }
}

async function inventorySection(
  source: InventorySource,
  workspace: string,
  numbers: readonly PhoneNumber[],
  logger: Logger,
): Promise<InventorySection | undefined> {
  try {
    const inventory = await source.read(workspace);
    return inventory ? { status: 'reconciled', reconciliation: reconcile(numbers, inventory) } : undefined;
  } catch (error) {
    // A bad inventory object must not cost the week's report; the report says what is wrong with it.
    const reason = `the inventory could not be used: ${messageOf(error)}`;
    logger.warn('inventory not reconciled', { workspace, reason });
    return { status: 'unreadable', reason };
  }
}

async function agentCheck(
  workspace: string,
  read: Promise<Agent[]>,
  numbers: readonly PhoneNumber[],
  logger: Logger,
): Promise<{ check: AgentCheck; list: Agent[] }> {
  try {
    const list = (await read).map(normalizeAgent);
    return { check: checkAgents(numbers, list), list };
  } catch (error) {
    // Agent names are a nicety: a key that may not read agents still gets its report.
    const reason =
      error instanceof PermissionError
        ? 'the API key may not read agents (403); give it read access to agents to name them and find numbers routed to deleted agents'
        : `agents could not be read: ${messageOf(error)}`;
    logger.warn('agent checks skipped', { workspace, reason });
    return { check: { status: 'skipped', reason }, list: [] };
  }
}

function serverText(text: string): string {
  return boundText(cleanApiText(text) ?? '', SERVER_TEXT_MAX_CHARS);
}

/** Numbers nobody calls; like the agent check, a key that may not read calls still gets its report. */
async function usageCheck(
  workspace: string,
  started: StartedUsageCheck,
  numbers: readonly PhoneNumber[],
  logger: Logger,
): Promise<UsageCheck> {
  try {
    const usage = await started.finish(numbers);
    logger.info('usage checked', {
      workspace,
      idleCount: usage.idle.length,
      usedCount: usage.usedCount,
      unknownCount: usage.unknownCount,
      requests: usage.requests,
      sweepCovered: usage.sweepCovered,
    });
    return usage;
  } catch (error) {
    const reason =
      error instanceof PermissionError
        ? 'the API key may not read calls (403); give it read access to calls to find numbers nobody calls'
        : `calls could not be read: ${messageOf(error)}`;
    logger.warn('usage check skipped', { workspace, reason });
    return { status: 'skipped', reason };
  }
}
