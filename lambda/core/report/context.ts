// Everything a report part needs besides the raw numbers. Kept apart from index.ts so the
// renderers can import it without a cycle.
import type { AttachmentMode, AuditResult, ListFilters } from '../types';

export const DEFAULT_UNROUTED_LIMIT = 100;

export interface ReportContext {
  workspaceName: string;
  generatedAt: Date;
  /** IANA zone the dates are shown in, e.g. `Europe/London`. */
  timeZone: string;
  filters: ListFilters;
  complete: boolean;
  incompleteReason?: string;
  audit: AuditResult;
  /** How the CSV travels with this email. */
  attachment: AttachmentMode;
  /** Extra words about the attachment (e.g. where the archived copy is). */
  attachmentNote?: string;
  /** How to run the report on demand (Lambda console / CLI), shown in the footer. */
  onDemandHint: string;
  /** Unrouted rows listed in the email body before "and N more"; default 100. */
  unroutedLimit?: number;
}

export function unroutedLimit(ctx: Pick<ReportContext, 'unroutedLimit'>): number {
  const limit = ctx.unroutedLimit ?? DEFAULT_UNROUTED_LIMIT;
  return Number.isFinite(limit) && limit >= 0 ? Math.floor(limit) : DEFAULT_UNROUTED_LIMIT;
}
