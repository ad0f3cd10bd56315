// Everything a report part needs. Kept apart from index.ts so the renderers can import it
// without a cycle.
import { DEFAULT_ACTION_TRIGGERS, type ActionTriggers, type AttachmentMode } from '../types';
import type { WorkspaceOutcome } from '../workspace';

export const DEFAULT_UNROUTED_LIMIT = 100;
/** Rows of each change list (added, removed, ...) shown in the email body. */
export const CHANGE_ROWS_LIMIT = 25;
/** Agents listed in "Routed numbers by agent" before "and N more". */
export const AGENT_ROWS_LIMIT = 10;
/** Rows of a table keyed by open-ended API text (statuses, providers) before "and N more". */
export const OPEN_TABLE_ROWS_LIMIT = 20;

export interface ReportContext {
  generatedAt: Date;
  /** IANA zone the dates are shown in, e.g. `Europe/London`. */
  timeZone: string;
  /** In configuration order; one entry is the common case. */
  workspaces: WorkspaceOutcome[];
  /** How the CSV travels with this email. */
  attachment: AttachmentMode;
  /** Extra words about the attachment (e.g. where the archived copy is). */
  attachmentNote?: string;
  /** How to run the report on demand (Lambda console / CLI), shown in the footer. */
  onDemandHint: string;
  /** Unrouted rows listed in the email body before "and N more"; default 100. */
  unroutedLimit?: number;
  /** Which findings put `[Action needed]` in the subject; default DEFAULT_ACTION_TRIGGERS. */
  triggers?: ActionTriggers;
}

export function unroutedLimit(ctx: Pick<ReportContext, 'unroutedLimit'>): number {
  const limit = ctx.unroutedLimit ?? DEFAULT_UNROUTED_LIMIT;
  return Number.isFinite(limit) && limit >= 0 ? Math.floor(limit) : DEFAULT_UNROUTED_LIMIT;
}

export function triggersOf(ctx: Pick<ReportContext, 'triggers'>): ActionTriggers {
  return ctx.triggers ?? DEFAULT_ACTION_TRIGGERS;
}
