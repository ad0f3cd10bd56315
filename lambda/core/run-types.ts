// What one audit run takes and gives back: the contract every entry point (Lambda, CLI, demo)
// and the audit.json writer share.
import type { IdempotencyRecord } from './idempotency';
import type { ListProgress, WorkspaceSpec } from './ports';
import type { RateCard } from './rate-card';
import type { RenderedReport } from './report';
import type { ActionTriggers, AttachmentMode, AuditResult, ListFilters } from './types';
import type { WorkspaceOutcome } from './workspace';

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
  /** Read GET /v1/calls to find numbers nobody calls. Default true (when the lister can read calls). */
  checkUsage?: boolean;
  /** Days back a call counts as use; default DEFAULT_USAGE_WINDOW_DAYS. */
  usageWindowDays?: number;
  /** GET /v1/calls requests per workspace; default DEFAULT_USAGE_REQUEST_BUDGET. */
  usageRequestBudget?: number;
  /** Store this run's files (and move the baseline) in `deps.archive`. Default false. */
  writeHistory?: boolean;
  /**
   * May this run become the baseline for the next run's changes (when complete and unfiltered)?
   * Default true; false for one-off runs such as a console test sent to oneself.
   */
  moveBaseline?: boolean;
  /**
   * Largest share (0-1) of the baseline a run may lose and still become the baseline (the
   * baselineGuardPercent setting / 100). Undefined: only a listing that drops to zero is held back.
   */
  maxBaselineLoss?: number;
  /** The operator confirms a loss the guard held back: this run becomes the baseline anyway. */
  confirmBaseline?: boolean;
  /** Same key, at most one email (e.g. sha256 of scheduleArn + scheduledTime). */
  idempotencyKey?: string;
  /** How long a claim stays another invocation's; keep it above the time from claim to sent. */
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
    /** The attached CSV has long API texts cut (the full CSV did not fit). */
    csvCut: boolean;
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
