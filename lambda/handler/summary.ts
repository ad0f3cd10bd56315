// The function's result on the Lambda console: a subset of audit.json plus how the email went.
import { toAuditJson, type AuditJson } from '../core/audit-json';
import type { AuditRun } from '../core/run-audit';
import type { AttachmentMode } from '../core/types';

/** Lambda results are capped at 6 MB; the full list is in the CSV. */
export const SUMMARY_UNROUTED_LIMIT = 1000;

export type LambdaSummary = Pick<
  AuditJson,
  | 'schemaVersion'
  | 'generatedAt'
  | 'workspace'
  | 'filters'
  | 'complete'
  | 'incompleteReason'
  | 'total'
  | 'unroutedCount'
  | 'byCountry'
  | 'byType'
  | 'byCountryType'
  | 'byStatus'
  | 'unrouted'
> & {
  unroutedTruncated: boolean;
  dryRun: boolean;
  messageId?: string;
  recipients: number;
  attachment: AttachmentMode;
  durationMs: number;
};

export function toLambdaSummary(run: AuditRun, durationMs: number, recipients: number): LambdaSummary {
  const json = toAuditJson(run);
  return {
    schemaVersion: json.schemaVersion,
    generatedAt: json.generatedAt,
    workspace: json.workspace,
    filters: json.filters,
    complete: json.complete,
    ...(json.incompleteReason ? { incompleteReason: json.incompleteReason } : {}),
    total: json.total,
    unroutedCount: json.unroutedCount,
    byCountry: json.byCountry,
    byType: json.byType,
    byCountryType: json.byCountryType,
    byStatus: json.byStatus,
    unrouted: json.unrouted.slice(0, SUMMARY_UNROUTED_LIMIT),
    unroutedTruncated: json.unrouted.length > SUMMARY_UNROUTED_LIMIT,
    dryRun: run.dryRun,
    ...(run.email.messageId ? { messageId: run.email.messageId } : {}),
    recipients,
    attachment: run.email.attachment,
    durationMs,
  };
}
