// The function's result on the Lambda console: a subset of audit.json plus how the email went.
import { toAuditJson, type AuditJson, type WorkspaceAuditJson } from '../core/audit-json';
import type { AuditRun, DuplicateRun } from '../core/run-audit';
import type { AttachmentMode } from '../core/types';

/** Lambda results are capped at 6 MB; the full list is in the CSV. */
export const SUMMARY_UNROUTED_LIMIT = 1000;

export type RunSummary = Pick<
  AuditJson,
  | 'schemaVersion'
  | 'generatedAt'
  | 'runId'
  | 'workspace'
  | 'filters'
  | 'complete'
  | 'incompleteReason'
  | 'verified'
  | 'baselineHeld'
  | 'failedWorkspaces'
  | 'total'
  | 'unroutedCount'
  | 'byCountry'
  | 'byType'
  | 'byCountryType'
  | 'byStatus'
  | 'unrouted'
> & {
  status: 'sent' | 'dry-run';
  unroutedTruncated: boolean;
  missingAgentsCount: number | null;
  workspaces: Array<
    | {
        workspace: string;
        ok: true;
        complete: boolean;
        total: number;
        unroutedCount: number;
        changesStatus: WorkspaceAuditJson['changesStatus'];
      }
    | { workspace: string; ok: false; error: { code: string; message: string } }
  >;
  dryRun: boolean;
  messageId?: string;
  recipients: number;
  attachment: AttachmentMode;
  /** The attached CSV has long API texts cut to fit the email. */
  csvCut: boolean;
  archived: string[];
  warnings: string[];
  durationMs: number;
};

export interface DuplicateSummary {
  status: 'duplicate';
  runId: string;
  reason: DuplicateRun['reason'];
  uncertain: boolean;
  messageId?: string;
  durationMs: number;
}

export type LambdaSummary = RunSummary | DuplicateSummary;

export function toLambdaSummary(run: AuditRun, durationMs: number, recipients: number): RunSummary {
  const json = toAuditJson(run);
  return {
    status: run.status,
    schemaVersion: json.schemaVersion,
    generatedAt: json.generatedAt,
    runId: json.runId,
    workspace: json.workspace,
    filters: json.filters,
    complete: json.complete,
    ...(json.incompleteReason ? { incompleteReason: json.incompleteReason } : {}),
    verified: json.verified,
    baselineHeld: json.baselineHeld,
    failedWorkspaces: json.failedWorkspaces,
    total: json.total,
    unroutedCount: json.unroutedCount,
    byCountry: json.byCountry,
    byType: json.byType,
    byCountryType: json.byCountryType,
    byStatus: json.byStatus,
    unrouted: json.unrouted.slice(0, SUMMARY_UNROUTED_LIMIT),
    unroutedTruncated: json.unrouted.length > SUMMARY_UNROUTED_LIMIT,
    missingAgentsCount: json.missingAgents === null ? null : json.missingAgents.length,
    workspaces: json.workspaces.map((w) =>
      w.ok
        ? {
            workspace: w.workspace,
            ok: true,
            complete: w.complete,
            total: w.total,
            unroutedCount: w.unroutedCount,
            changesStatus: w.changesStatus,
          }
        : { workspace: w.workspace, ok: false, error: w.error },
    ),
    dryRun: run.dryRun,
    ...(run.email.messageId ? { messageId: run.email.messageId } : {}),
    recipients,
    attachment: run.email.attachment,
    csvCut: run.email.csvCut,
    archived: run.archived.map((a) => a.location),
    warnings: run.warnings,
    durationMs,
  };
}

export function toDuplicateSummary(run: DuplicateRun, durationMs: number): DuplicateSummary {
  return {
    status: 'duplicate',
    runId: run.runId,
    reason: run.reason,
    uncertain: run.uncertain,
    ...(run.record.messageId ? { messageId: run.record.messageId } : {}),
    durationMs,
  };
}
