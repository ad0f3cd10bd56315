// The run's event on the default EventBridge bus: what rules route to chat, tickets or on-call. It
// carries names, counts and where the run was archived; never a phone number, an API text (error
// messages may quote the API), a recipient or a key. docs/run-event.schema.json is generated from
// the schema below (scripts/run-event-schema.ts) and a test holds the two together.
import * as z from 'zod';
import { isAuditError } from '../core/errors';
import type { AuditRun } from '../core/run-audit';
import type { ActionTriggers } from '../core/types';
import { actionReasons, idleCount, missingAgentCount, type WorkspaceAudit } from '../core/workspace';
import { ACTION_TRIGGERS } from '../settings';

export const RUN_EVENT = {
  /** The `source` of every event; the function's IAM grant is conditioned on it (events:source). */
  source: 'number-audit',
  detailType: {
    completed: 'Number Audit Completed',
    incomplete: 'Number Audit Incomplete',
    failed: 'Number Audit Failed',
  },
  schemaVersion: 1,
} as const;

const count = z.number().int().min(0);
const usd = z.number().min(0).describe('USD per month, the numbers whose cost is known');
/** Null when the usage check did not run (switched off, or the key may not read calls). */
const idleCountSchema = count.nullable().describe('Numbers nobody called in the usage window; null when not checked');
const missingAgents = count.nullable().describe('Numbers routed to an agent that no longer exists; null: not checked');
const archive = z
  .strictObject({
    bucket: z.string(),
    key: z.string().describe('The run folder (ends in /): audit.json, numbers.csv, report.html, snapshot.json'),
  })
  .nullable()
  .describe('Where the run was archived; null when it was not (no history bucket, or the write failed)');
const time = z.iso.datetime({ offset: true });
const common = {
  schemaVersion: z.literal(RUN_EVENT.schemaVersion),
  runId: z.string().describe('The Lambda request id; retries of a failed run keep it'),
  scheduledTime: time.nullable().describe("The schedule's time; null for a run started by hand"),
};

const workspaceDetail = z.discriminatedUnion('ok', [
  z.strictObject({
    name: z.string(),
    ok: z.literal(true),
    complete: z.boolean(),
    total: count,
    unroutedCount: count,
    missingAgentCount: missingAgents,
    idleCount: idleCountSchema,
    totalMonthly: usd,
    archive,
  }),
  z.strictObject({
    name: z.string(),
    ok: z.literal(false),
    errorCode: z.string().describe('Why it could not be audited, e.g. AUTH_FORBIDDEN; the email says what to do'),
  }),
]);

const runDetail = z.strictObject({
  ...common,
  status: z.enum(['completed', 'incomplete']),
  generatedAt: time,
  workspace: z.string().nullable().describe('The workspace when there is one; null when several are combined'),
  workspaces: z.array(workspaceDetail).min(1),
  complete: z.boolean().describe('Every workspace read and every listing complete'),
  filtered: z.boolean().describe('A console run with a country or type filter (never the baseline)'),
  failedWorkspaces: count,
  total: count,
  unroutedCount: count,
  missingAgentCount: missingAgents,
  idleCount: idleCountSchema,
  totalMonthly: usd,
  currency: z.literal('USD'),
  actionNeeded: z.boolean().describe('The email subject starts with [Action needed]'),
  triggers: z.array(z.enum(ACTION_TRIGGERS)).describe('The findings that made it so (actionTriggers setting)'),
  archive,
});

const failedDetail = z.strictObject({
  ...common,
  status: z.literal('failed'),
  errorType: z.string().describe('The error class, e.g. DeliveryError, ConfigError'),
  errorCode: z.string().nullable(),
});

/** The `detail` of every run event; `status` tells the three detail types apart. */
export const runEventDetailSchema = z
  .discriminatedUnion('status', [runDetail, failedDetail])
  .describe('The detail of a Number Audit run event (source "number-audit")');

export type RunEventDetail = z.infer<typeof runEventDetailSchema>;
type RunDetail = z.infer<typeof runDetail>;
type WorkspaceDetail = z.infer<typeof workspaceDetail>;

export interface RunEvent {
  detailType: (typeof RUN_EVENT.detailType)[keyof typeof RUN_EVENT.detailType];
  detail: RunEventDetail;
}

/** The schedule's time from the raw event, as ISO 8601; null when absent or not a time. */
export function scheduledTimeOf(rawEvent: unknown): string | null {
  const value = (rawEvent as { scheduledTime?: unknown } | null | undefined)?.scheduledTime;
  if (typeof value !== 'string') return null;
  const t = new Date(value);
  return Number.isNaN(t.getTime()) ? null : t.toISOString();
}

/** `s3://bucket/key` -> { bucket, key }; any other location (a local folder) is not an S3 object. */
function archiveOf(run: AuditRun, workspace: string): RunDetail['archive'] {
  const location = run.archived.find((a) => a.workspace === workspace)?.location;
  const m = location ? /^s3:\/\/([^/]+)\/(.+)$/.exec(location) : null;
  return m ? { bucket: m[1], key: m[2] } : null;
}

function workspaceOf(run: AuditRun, ws: AuditRun['workspaces'][number]): WorkspaceDetail {
  if (!ws.ok) return { name: ws.name, ok: false, errorCode: ws.error.code };
  return {
    name: ws.name,
    ok: true,
    complete: ws.complete,
    total: ws.audit.total,
    unroutedCount: ws.audit.unrouted.length,
    missingAgentCount: ws.agents?.status === 'checked' ? missingAgentCount(ws) : null,
    idleCount: ws.usage?.status === 'checked' ? idleCount(ws) : null,
    totalMonthly: ws.audit.cost.totalMonthly,
    archive: archiveOf(run, ws.name),
  };
}

/** A sent run: Completed, or Incomplete when a workspace failed or a listing fell short. */
export function runEvent(run: AuditRun, rawEvent: unknown, triggers: ActionTriggers): RunEvent {
  const workspaces = run.workspaces.map((ws) => workspaceOf(run, ws));
  const checked = run.workspaces.filter((w): w is WorkspaceAudit => w.ok && w.agents?.status === 'checked');
  const usageChecked = run.workspaces.filter((w): w is WorkspaceAudit => w.ok && w.usage?.status === 'checked');
  const fired = actionReasons(run.workspaces, triggers);
  const single = run.workspaces.length === 1 ? run.workspaces[0] : undefined;
  return {
    detailType: run.complete ? RUN_EVENT.detailType.completed : RUN_EVENT.detailType.incomplete,
    detail: {
      schemaVersion: RUN_EVENT.schemaVersion,
      status: run.complete ? 'completed' : 'incomplete',
      runId: run.runId,
      scheduledTime: scheduledTimeOf(rawEvent),
      generatedAt: run.generatedAt.toISOString(),
      workspace: single ? single.name : null,
      workspaces,
      complete: run.complete,
      filtered: run.filters.countryCode !== undefined || run.filters.type !== undefined,
      failedWorkspaces: run.failedWorkspaces,
      total: run.combined.total,
      unroutedCount: run.combined.unrouted.length,
      missingAgentCount: checked.length ? checked.reduce((sum, w) => sum + missingAgentCount(w), 0) : null,
      idleCount: usageChecked.length ? usageChecked.reduce((sum, w) => sum + idleCount(w), 0) : null,
      totalMonthly: run.combined.cost.totalMonthly,
      currency: 'USD',
      actionNeeded: fired.length > 0,
      triggers: fired,
      archive: single ? archiveOf(run, single.name) : null,
    },
  };
}

/** A run that threw: only the error's class and code (its message may quote the API). */
/** What a failed-run event says of the error: its class, and its code when it is one of ours. */
export function errorSummary(error: unknown): { errorType: string; code?: string } {
  return {
    errorType: error instanceof Error ? error.name : typeof error,
    code: isAuditError(error) ? error.code : undefined,
  };
}

export function failedRunEvent(
  runId: string,
  rawEvent: unknown,
  error: { errorType: string; code?: string },
): RunEvent {
  return {
    detailType: RUN_EVENT.detailType.failed,
    detail: {
      schemaVersion: RUN_EVENT.schemaVersion,
      status: 'failed',
      runId,
      scheduledTime: scheduledTimeOf(rawEvent),
      errorType: error.errorType,
      errorCode: error.code ?? null,
    },
  };
}

/** The detail's JSON Schema as docs/run-event.schema.json holds it. */
export function runEventJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(runEventDetailSchema),
    title: `detail of the "${RUN_EVENT.source}" events: ${Object.values(RUN_EVENT.detailType).join(', ')}`,
  };
}
