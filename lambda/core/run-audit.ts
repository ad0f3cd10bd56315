// The one audit run every entry point (Lambda, CLI, demo) calls:
//   claim (one email per schedule time) -> per workspace: list -> normalize -> cost -> audit ->
//   agent check -> changes since the last complete run -> render -> build the email -> send ->
//   archive.
// Adapters come in through `deps`; nothing here touches AWS, the network or the clock directly.
import { checkAgents } from './agents';
import { toWorkspaceAuditJson } from './audit-json';
import { auditNumbers } from './audit';
import { diffSnapshots } from './changes';
import { AuditError, isAuditError, PermissionError } from './errors';
import type { IdempotencyRecord } from './idempotency';
import { normalizeAll } from './normalize';
import type { IdempotencyStore, ListProgress, Logger, NumberLister, RawMailer, ReportArchive } from './ports';
import { applyRateCard, type RateCard } from './rate-card';
import {
  renderBodies,
  renderCsv,
  renderReport,
  type RenderedBodies,
  type RenderedReport,
  type ReportContext,
} from './report';
import { serializeSnapshot, SNAPSHOT_FILE, toSnapshot } from './snapshot';
import type { ActionTriggers, Agent, AgentCheck, AttachmentMode, AuditResult, ListFilters } from './types';
import type { ChangesSection, WorkspaceAudit, WorkspaceOutcome } from './workspace';

/** Builds the raw MIME for a report, shrinking the CSV attachment (gzip, then leave out) to fit. */
export interface ReportEmailBuilder {
  build(input: {
    from: string;
    to: string[];
    replyTo?: string[];
    date: Date;
    csv: string;
    /** Renders the subject and bodies for an attachment mode, so the email can say what happened. */
    render: (mode: AttachmentMode) => RenderedBodies;
  }): Promise<{ raw: Buffer; attachment: AttachmentMode }>;
}

/** One workspace to audit: its name and a client holding its own key. */
export interface WorkspaceSpec {
  name: string;
  lister: NumberLister & { listAgents?(options?: { deadline?: number }): Promise<Agent[]> };
}

export interface RunAuditDeps {
  emailBuilder: ReportEmailBuilder;
  /** Needed unless every run is a dry run. */
  mailer?: RawMailer;
  /** Run history: previous snapshot for "changes", and where each run's files are kept. */
  archive?: ReportArchive;
  /** One email per scheduled run; used when `idempotencyKey` is given. */
  idempotency?: IdempotencyStore;
  now: () => Date;
  logger: Logger;
  /** Used while waiting for another invocation's claim; default a timer. */
  sleep?: (ms: number) => Promise<void>;
}

export interface RunAuditOptions {
  workspaces: WorkspaceSpec[];
  runId: string;
  timeZone: string;
  filters?: ListFilters;
  from: string;
  to: string[];
  replyTo?: string[];
  /** Build everything, send nothing. */
  dryRun?: boolean;
  /** Epoch ms by which listing must be done (leave room to render and send). */
  listDeadline?: number;
  onDemandHint: string;
  onProgress?: (workspace: string, progress: ListProgress) => void;
  rateCard?: RateCard;
  triggers?: ActionTriggers;
  /** Read GET /v1/agents to name agents and flag numbers routed to missing ones. Default true. */
  checkAgents?: boolean;
  /** Store this run's files (and move the baseline) in `deps.archive`. Default false. */
  writeHistory?: boolean;
  /**
   * May this run become the baseline for the next run's changes (when complete and unfiltered)?
   * Default true; false for one-off runs such as a console test sent to oneself.
   */
  moveBaseline?: boolean;
  /** Same key, at most one email (e.g. sha256 of scheduleArn + scheduledTime). */
  idempotencyKey?: string;
  /** How long a claim stays another invocation's; keep it above the function timeout. */
  leaseMs?: number;
  /**
   * When another invocation holds a fresh claim, wait up to this long for it to finish (then
   * `duplicate`) or to be released or go stale (then take over). Still held after that:
   * RunInProgressError, so the platform retries later. Default 0: return `duplicate` at once.
   */
  claimWaitMs?: number;
  /** Interval between claim re-reads while waiting. Default 5 s. */
  claimPollMs?: number;
}

/** No workspace of a several-workspace run could be read; each one's reason is in the message. */
export class AllWorkspacesFailedError extends AuditError {
  readonly code = 'ALL_WORKSPACES_FAILED';
}

/** Another invocation still holds this scheduled run's claim; retry later. */
export class RunInProgressError extends AuditError {
  readonly code = 'IN_PROGRESS';
}

export interface ArchivedLocation {
  workspace: string;
  location: string;
  /** The run became the baseline for the next run's changes. */
  baseline: boolean;
}

export interface AuditRun {
  status: 'sent' | 'dry-run';
  runId: string;
  generatedAt: Date;
  filters: ListFilters;
  workspaces: WorkspaceOutcome[];
  /** The audit over every workspace that could be read. */
  combined: AuditResult;
  /** Every workspace read and every listing complete. */
  complete: boolean;
  failedWorkspaces: number;
  report: RenderedReport;
  email: {
    raw: Buffer;
    attachment: AttachmentMode;
    /** Set when the email was sent (not on a dry run). */
    messageId?: string;
  };
  dryRun: boolean;
  archived: ArchivedLocation[];
  /** Workspaces whose run could not be archived (each also has a line in `warnings`). */
  archiveFailures: number;
  /** Problems that did not stop the run (e.g. the archive could not be written). */
  warnings: string[];
}

/** The same scheduled run was already handled (or is being handled) by another invocation. */
export interface DuplicateRun {
  status: 'duplicate';
  runId: string;
  idempotencyKey: string;
  /** `in-progress`: another invocation holds a fresh claim; `done`: already sent. */
  reason: 'done' | 'in-progress';
  /** The earlier attempt died while sending: the email may or may not have gone out. */
  uncertain: boolean;
  record: IdempotencyRecord;
}

export type RunOutcome = AuditRun | DuplicateRun;

// A claim covers rendering and sending only (listing happens before it): minutes, not the run.
const DEFAULT_LEASE_MS = 3 * 60 * 1000;

// The original error of a failed workspace, for rethrowing when it is the only one.
const failures = new WeakMap<WorkspaceOutcome, unknown>();

export async function runAudit(deps: RunAuditDeps, options: RunAuditOptions): Promise<RunOutcome> {
  const { logger } = deps;
  if (options.workspaces.length === 0) throw new Error('runAudit: at least one workspace is required');
  const key = options.idempotencyKey;
  const store = deps.idempotency;
  if (key !== undefined && !store) throw new Error('runAudit: idempotencyKey needs an idempotency store');

  // A redelivery of a run that already went out costs one read, no listing.
  if (key !== undefined) {
    const record = await store!.peek(key);
    if (record && (record.state === 'sent' || record.state === 'sending')) {
      return duplicate(logger, options.runId, key, 'done', record.state === 'sending', record);
    }
  }

  // List and audit before claiming: the claim is then held only for the seconds between rendering
  // and sending, so an attempt that dies while listing leaves nothing for its retry to wait out.
  // (Two concurrent deliveries both list; only one sends.)
  const audited = await auditAll(deps, options);

  let token: string | undefined;
  if (key !== undefined) {
    const claim = await claimRun(deps, store!, key, options);
    if (claim.outcome !== 'claimed') {
      return duplicate(
        logger,
        options.runId,
        key,
        claim.outcome,
        claim.outcome === 'done' && claim.uncertain,
        claim.record,
      );
    }
    token = claim.token;
    if (claim.takeover) logger.warn('took over a stale claim for this scheduled run');
  }

  let sending = false;
  try {
    return await renderSendArchive(deps, options, audited, {
      beforeSend: async () => {
        if (token !== undefined) await store!.markSending(key!, token);
        sending = true;
      },
      // Recorded at once, before the archive is written: a run that dies while archiving has still
      // certainly sent, and its retry must say so.
      afterSend: async (messageId, warnings) => {
        if (token === undefined) return;
        try {
          await store!.markSent(key!, token, { messageId });
        } catch (error) {
          // The email went out; a retry finds `sending` and does not resend. Say so, do not fail.
          const message = `the send could not be recorded as done: ${error instanceof Error ? error.message : String(error)}`;
          logger.error('could not mark the run as sent', { message });
          warnings.push(message);
        }
      },
    });
  } catch (error) {
    // Give the claim back when nothing can have been sent, so a retry sends at once. Once we were
    // sending, only a refusal from SES proves nothing went out (DeliveryError); anything else
    // (no answer, crash) leaves the record in `sending`: never resend.
    const nothingSent = !sending || (isAuditError(error) && error.code === 'DELIVERY');
    if (token !== undefined && nothingSent) {
      await store!
        .release(key!, token)
        .catch((releaseError: unknown) =>
          logger.error('could not release the claim', {
            message: releaseError instanceof Error ? releaseError.message : String(releaseError),
          }),
        );
    }
    throw error;
  }
}

function duplicate(
  logger: Logger,
  runId: string,
  key: string,
  reason: DuplicateRun['reason'],
  uncertain: boolean,
  record: IdempotencyRecord,
): DuplicateRun {
  logger.warn('duplicate delivery of a scheduled run; nothing sent', { reason, uncertain });
  return { status: 'duplicate', runId, idempotencyKey: key, reason, uncertain, record };
}

/** Claims the run, waiting (bounded) while another live invocation holds it. */
async function claimRun(deps: RunAuditDeps, store: IdempotencyStore, key: string, options: RunAuditOptions) {
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const waitMs = options.claimWaitMs ?? 0;
  const pollMs = options.claimPollMs ?? 5000;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let waited = 0;
  for (;;) {
    const claim = await store.claim(key, { leaseMs, now: deps.now() });
    if (claim.outcome !== 'in-progress' || waitMs === 0) return claim;
    if (waited >= waitMs) {
      throw new RunInProgressError(
        `another invocation has held this scheduled run's claim since ${claim.record.claimedAt} and has not finished; ` +
          'nothing was sent by this attempt, and a retry will take over once the claim is released or goes stale',
      );
    }
    const step = Math.min(pollMs, waitMs - waited);
    deps.logger.info('another invocation is handling this scheduled run; waiting', {
      waitedMs: waited,
      claimedAt: claim.record.claimedAt,
    });
    await sleep(step);
    waited += step;
  }
}

interface Audited {
  filters: ListFilters;
  outcomes: WorkspaceOutcome[];
  ok: WorkspaceAudit[];
}

async function auditAll(deps: RunAuditDeps, options: RunAuditOptions): Promise<Audited> {
  const filters = options.filters ?? {};
  const outcomes = await Promise.all(options.workspaces.map((ws) => auditWorkspaceSafely(deps, options, ws, filters)));
  // One workspace: its failure is the run's failure (the caller maps 401/403/... to its surface).
  // Several: a failed workspace gets its own section and the others still go out; when none could
  // be read there is nothing to report, and failing lets the platform retry.
  if (outcomes.length === 1 && !outcomes[0].ok) throw failures.get(outcomes[0])!;
  const ok = outcomes.filter((o): o is WorkspaceAudit => o.ok);
  if (ok.length === 0) {
    throw new AllWorkspacesFailedError(
      `every workspace failed: ${outcomes.map((o) => `${o.name}: ${o.ok ? '' : o.error.message}`).join('; ')}`,
    );
  }
  return { filters, outcomes, ok };
}

async function renderSendArchive(
  deps: RunAuditDeps,
  options: RunAuditOptions,
  { filters, outcomes, ok }: Audited,
  hooks: { beforeSend: () => Promise<void>; afterSend: (messageId: string, warnings: string[]) => Promise<void> },
): Promise<AuditRun> {
  const { logger } = deps;
  // One workspace: its audit already is the combined one (auditing 100k numbers again costs ~50 ms).
  const combined = ok.length === 1 ? ok[0].audit : auditNumbers(ok.flatMap((o) => o.numbers));
  const failedWorkspaces = outcomes.length - ok.length;
  const generatedAt = deps.now();
  const contextFor = (attachment: AttachmentMode): ReportContext => ({
    generatedAt,
    timeZone: options.timeZone,
    workspaces: outcomes,
    attachment,
    onDemandHint: options.onDemandHint,
    triggers: options.triggers,
  });
  const report = renderReport(contextFor('csv'));

  const built = await deps.emailBuilder.build({
    from: options.from,
    to: options.to,
    replyTo: options.replyTo,
    date: generatedAt,
    csv: report.csv,
    render: (mode) => (mode === 'csv' ? report : renderBodies(contextFor(mode))),
  });
  if (built.attachment !== 'csv') {
    logger.warn('the CSV did not fit in the email as it is', {
      attachment: built.attachment,
      rawBytes: built.raw.length,
    });
  }

  const warnings: string[] = [];
  const dryRun = options.dryRun === true;
  let messageId: string | undefined;
  if (!dryRun) {
    if (!deps.mailer) throw new Error('runAudit: a mailer is required unless dryRun is set');
    await hooks.beforeSend();
    ({ messageId } = await deps.mailer.sendRaw(built.raw, { from: options.from, to: options.to }));
    logger.info('report sent', { messageId, recipients: options.to.length, rawBytes: built.raw.length });
    await hooks.afterSend(messageId, warnings);
  }

  const archiveWarnings: string[] = [];
  const archived =
    options.writeHistory && deps.archive
      ? await archiveRuns(deps, deps.archive, options, ok, contextFor('csv'), report, archiveWarnings)
      : [];

  return {
    status: dryRun ? 'dry-run' : 'sent',
    runId: options.runId,
    generatedAt,
    filters,
    workspaces: outcomes,
    combined,
    complete: failedWorkspaces === 0 && ok.every((o) => o.complete),
    failedWorkspaces,
    report,
    email: { raw: built.raw, attachment: built.attachment, messageId },
    dryRun,
    archived,
    archiveFailures: archiveWarnings.length,
    warnings: [...warnings, ...archiveWarnings],
  };
}

async function auditWorkspaceSafely(
  deps: RunAuditDeps,
  options: RunAuditOptions,
  ws: WorkspaceSpec,
  filters: ListFilters,
): Promise<WorkspaceOutcome> {
  try {
    return await auditWorkspace(deps, options, ws, filters);
  } catch (error) {
    deps.logger.error('workspace failed', {
      workspace: ws.name,
      code: isAuditError(error) ? error.code : 'UNEXPECTED',
      message: error instanceof Error ? error.message : String(error),
    });
    const outcome: WorkspaceOutcome = {
      ok: false,
      name: ws.name,
      error: {
        code: isAuditError(error) ? error.code : 'UNEXPECTED',
        message: error instanceof Error ? error.message : String(error),
      },
    };
    failures.set(outcome, error);
    return outcome;
  }
}

async function auditWorkspace(
  deps: RunAuditDeps,
  options: RunAuditOptions,
  ws: WorkspaceSpec,
  filters: ListFilters,
): Promise<WorkspaceAudit> {
  const { logger } = deps;
  const listing = await ws.lister.listAll({
    filters,
    deadline: options.listDeadline,
    onProgress: options.onProgress && ((p) => options.onProgress!(ws.name, p)),
  });
  logger.info('listing finished', {
    workspace: ws.name,
    ...listing.stats,
    reportedTotal: listing.reportedTotal,
    complete: listing.complete,
  });
  if (!listing.complete) {
    logger.warn('listing is incomplete; the report is marked INCOMPLETE', {
      workspace: ws.name,
      reason: listing.incompleteReason,
    });
  }
  const numbers = applyRateCard(normalizeAll(listing.records), options.rateCard);

  const [agents, changes] = await Promise.all([
    options.checkAgents === false || !ws.lister.listAgents ? undefined : agentCheck(ws, numbers, options, logger),
    deps.archive ? changesSection(deps.archive, ws.name, filters, listing.complete, numbers, logger) : undefined,
  ]);

  return {
    ok: true,
    name: ws.name,
    filters,
    complete: listing.complete,
    ...(listing.incompleteReason ? { incompleteReason: listing.incompleteReason } : {}),
    reportedTotal: listing.reportedTotal,
    stats: listing.stats,
    numbers,
    audit: auditNumbers(numbers),
    agents,
    changes,
  };
}

async function agentCheck(
  ws: WorkspaceSpec,
  numbers: WorkspaceAudit['numbers'],
  options: RunAuditOptions,
  logger: Logger,
): Promise<AgentCheck> {
  try {
    const agents = await ws.lister.listAgents!({ deadline: options.listDeadline });
    return checkAgents(numbers, agents);
  } catch (error) {
    // Agent names are a nicety: a key that may not read agents still gets its report.
    const reason =
      error instanceof PermissionError
        ? 'the API key may not read agents (403); give it read access to agents to name them and find numbers routed to deleted agents'
        : `agents could not be read: ${error instanceof Error ? error.message : String(error)}`;
    logger.warn('agent checks skipped', { workspace: ws.name, reason });
    return { status: 'skipped', reason };
  }
}

async function changesSection(
  archive: ReportArchive,
  workspace: string,
  filters: ListFilters,
  complete: boolean,
  numbers: WorkspaceAudit['numbers'],
  logger: Logger,
): Promise<ChangesSection> {
  if (filters.countryCode || filters.type) {
    return { status: 'skipped', reason: 'this run is filtered; changes are compared for unfiltered runs only' };
  }
  if (!complete) {
    // Numbers missing from an incomplete listing would all read as "removed".
    return { status: 'skipped', reason: 'the listing is incomplete, so changes are not compared' };
  }
  try {
    const previous = await archive.readLatestSnapshot(workspace);
    if (previous === null) return { status: 'first-run' };
    if (!previous.ok) {
      logger.warn('previous snapshot skipped', { workspace, reason: previous.reason, location: previous.location });
      return {
        status: 'skipped',
        reason: `the previous report (${previous.location}) could not be used: ${previous.reason}`,
      };
    }
    return { status: 'compared', changes: diffSnapshots(previous.snapshot, numbers) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    logger.warn('previous snapshot could not be read', { workspace, message });
    return { status: 'skipped', reason: `the run history could not be read: ${message}` };
  }
}

async function archiveRuns(
  deps: RunAuditDeps,
  archive: ReportArchive,
  options: RunAuditOptions,
  ok: WorkspaceAudit[],
  reportContext: ReportContext,
  report: RenderedReport,
  warnings: string[],
): Promise<ArchivedLocation[]> {
  const { generatedAt } = reportContext;
  const filters = options.filters ?? {};
  const out: ArchivedLocation[] = [];
  for (const ws of ok) {
    try {
      const snapshot = toSnapshot(ws.name, generatedAt, ws.complete, ws.numbers);
      // Each workspace's folder gets its own report (agencies keep clients apart).
      const html =
        ok.length === 1 && options.workspaces.length === 1
          ? report.html
          : renderBodies({ ...reportContext, workspaces: [ws] }).html;
      const { location, prefix } = await archive.writeRun({
        workspace: ws.name,
        date: generatedAt,
        runId: options.runId,
        files: {
          'audit.json': `${JSON.stringify(toWorkspaceAuditJson(ws, generatedAt), null, 2)}\n`,
          // One workspace: the email's CSV is this workspace's CSV (rendering 100k rows costs ~0.4 s).
          'numbers.csv': ok.length === 1 ? report.csv : renderCsv([ws]),
          'report.html': html,
          [SNAPSHOT_FILE]: serializeSnapshot(snapshot),
        },
      });
      // Only a complete, unfiltered run may become the baseline for the next run's changes.
      const baseline = options.moveBaseline !== false && ws.complete && !filters.countryCode && !filters.type;
      if (baseline) {
        await archive.writeLatestPointer(ws.name, {
          runId: options.runId,
          generatedAt: generatedAt.toISOString(),
          prefix,
        });
      }
      out.push({ workspace: ws.name, location, baseline });
    } catch (error) {
      const message = `the run could not be archived for ${ws.name}: ${error instanceof Error ? error.message : String(error)}`;
      deps.logger.error('archive failed', { workspace: ws.name, message });
      warnings.push(message);
    }
  }
  return out;
}
