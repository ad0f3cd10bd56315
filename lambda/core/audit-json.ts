// audit.json: the stable, documented contract scripts rely on (README "audit.json"). Add fields,
// never rename or remove them without bumping schemaVersion.
import type { CostAttribution, FolderCheck } from './attribution';
import { toCents } from './audit';
import type { BaselineGuard } from './baseline-guard';
import type { Changes } from './changes';
import type { FilterCheck } from './filters';
import type { Reconciliation } from './inventory';
import { toSnapshotNumber } from './snapshot';
import type { AuditRun } from './run-types';
import type { AuditResult, CostSummary, ListFilters, NumberType, PhoneNumber } from './types';
import type { TrendPoint } from './trend';
import type { UsageCheck } from './usage';
import type { WorkspaceAudit, WorkspaceOutcome } from './workspace';

export const AUDIT_SCHEMA_VERSION = 1;

export interface AuditJsonNumber {
  id: string;
  phoneNumber: string;
  countryCode: string;
  type: NumberType;
  status: string | null;
  nickname: string | null;
  inboundAgentId: string | null;
  /** Set on combined lists (the top level), where numbers of several workspaces meet. */
  workspace?: string;
}

/**
 * Cost with where the money goes. byAgent and byFolder are per workspace (agent ids belong to one
 * workspace), so a top level combining several workspaces has only the unrouted and unattributed sums.
 */
export type CostJson = CostSummary &
  Pick<CostAttribution, 'unroutedMonthly' | 'unroutedUnknownCount' | 'unattributedMonthly'> &
  Partial<Pick<CostAttribution, 'byAgent' | 'byFolder'>>;

/** The figures every level shares (a workspace, or all workspaces combined). */
export type AuditJsonFigures = Pick<
  AuditResult,
  'total' | 'byCountry' | 'byType' | 'byCountryType' | 'byStatus' | 'byProvider'
> & {
  cost: CostJson;
  unroutedCount: number;
  unrouted: AuditJsonNumber[];
  notActive: AuditJsonNumber[];
  /** Numbers routed to an agent that does not exist; null when agents were not checked. */
  missingAgents: AuditJsonNumber[] | null;
};

/** The requested filters and, when there are any, who applied them (`leftOut`: only when we did). */
export type FiltersJson = ListFilters & { appliedBy?: FilterCheck['appliedBy']; leftOut?: number };

export type WorkspaceAuditJson = AuditJsonFigures & {
  schemaVersion: number;
  generatedAt: string;
  workspace: string;
  ok: true;
  filters: FiltersJson;
  complete: boolean;
  incompleteReason?: string;
  /** False for "complete, unverified": no total from the API and no second listing confirmed the count. */
  verified: boolean;
  unverifiedReason?: string;
  /** Set when the listing lost enough of the baseline to be held back from becoming it (or was confirmed). */
  baselineGuard: BaselineGuard | null;
  agentCheck: { status: 'checked'; agentCount: number } | { status: 'skipped'; reason: string } | { status: 'not-run' };
  /** Whether folder names were read (`not-run`: agents were not read, or the client reads no folders). */
  folderCheck: FolderCheck | { status: 'not-run' };
  /** The reconciliation with the internal inventory; absent when none was given. */
  inventory?: Reconciliation;
  /** Set instead of `inventory` when the inventory was there but could not be used. */
  inventoryError?: string;
  /** `compared`: `changes` holds the diff; otherwise `changes` is null and `changesNote` may say why. */
  changesStatus: 'compared' | 'first-run' | 'skipped' | 'not-configured';
  changesNote?: string;
  changes: Changes | null;
  /** Numbers nobody calls; null when not checked. */
  usage: UsageJson | null;
  /** The last complete, unfiltered runs (this one included when it is one), oldest first; null without history. */
  trend: TrendPoint[] | null;
  listing: {
    reportedTotal: number | null;
    pages: number;
    requests: number;
    retries: number;
    rateLimited: number;
    relisted: boolean;
    durationMs: number;
  };
};

/** A number proven idle, as audit.json lists it. */
export interface IdleNumberJson {
  id: string;
  phoneNumber: string;
  countryCode: string;
  type: NumberType;
  /** USD a month; null when not known. */
  monthlyCost: number | null;
  createdAt: string | null;
  /** Set on combined lists (the top level), where numbers of several workspaces meet. */
  workspace?: string;
}

/** Numbers nobody calls: `checked` with the figures, or `skipped` with why (a 403 on calls, ...). */
export type UsageJson =
  | {
      status: 'checked';
      windowDays: number;
      checkedAt: string;
      idle: IdleNumberJson[];
      idleCount: number;
      idleMonthly: number;
      usedCount: number;
      unknownCount: number;
      /** Bought inside the window and not seen called: not called idle. */
      newCount: number;
      /** GET /v1/calls requests sent (retries not counted). */
      requests: number;
    }
  | { status: 'skipped'; reason: string };

function idleJson(n: PhoneNumber, workspace: string | undefined): IdleNumberJson {
  const json: IdleNumberJson = {
    id: n.id,
    phoneNumber: n.phoneNumber,
    countryCode: n.countryCode,
    type: n.type,
    monthlyCost: n.monthlyCostUsd,
    createdAt: n.createdAt,
  };
  if (workspace !== undefined) json.workspace = workspace;
  return json;
}

export function toUsageJson(usage: UsageCheck, workspace?: string): UsageJson {
  if (usage.status === 'skipped') return usage;
  return {
    status: 'checked',
    windowDays: usage.windowDays,
    checkedAt: usage.checkedAt,
    idle: usage.idle.map((n) => idleJson(n, workspace)),
    idleCount: usage.idle.length,
    idleMonthly: usage.idleMonthly,
    usedCount: usage.usedCount,
    unknownCount: usage.unknownCount,
    newCount: usage.newCount,
    requests: usage.requests,
  };
}

/** Several workspaces' checks as one: the checked ones summed (null when none was checked). */
function combinedUsage(workspaces: readonly WorkspaceAudit[], single: boolean): UsageJson | null {
  const parts = workspaces.flatMap((w) =>
    w.usage?.status === 'checked' ? [toUsageJson(w.usage, single ? undefined : w.name)] : [],
  );
  const checked = parts.filter((p): p is Extract<UsageJson, { status: 'checked' }> => p.status === 'checked');
  const [first] = checked;
  if (first === undefined) {
    const skipped = single ? workspaces[0]?.usage : undefined;
    return skipped?.status === 'skipped' ? skipped : null;
  }
  const sum = (pick: (u: (typeof checked)[number]) => number) => checked.reduce((t, u) => t + pick(u), 0);
  return {
    ...first,
    idle: checked.flatMap((u) => u.idle),
    idleCount: sum((u) => u.idleCount),
    idleMonthly: sum((u) => Math.round(u.idleMonthly * 100)) / 100,
    usedCount: sum((u) => u.usedCount),
    unknownCount: sum((u) => u.unknownCount),
    newCount: sum((u) => u.newCount),
    requests: sum((u) => u.requests),
  };
}

export interface FailedWorkspaceJson {
  workspace: string;
  ok: false;
  error: { code: string; message: string };
}

export type AuditJson = AuditJsonFigures & {
  schemaVersion: number;
  generatedAt: string;
  runId: string;
  /** The workspace's name when there is one; null when several are combined. */
  workspace: string | null;
  filters: FiltersJson;
  /** Every workspace read and every listing complete. */
  complete: boolean;
  incompleteReason?: string;
  /** Every listing read had its count confirmed (a total, or two listings that agree). */
  verified: boolean;
  /** A workspace's baseline guard held: this run did not become its baseline. */
  baselineHeld: boolean;
  failedWorkspaces: number;
  /** With one workspace, its changes (same as `workspaces[0].changes`); null with several. */
  changes: Changes | null;
  /** With one workspace, its reconciliation (same as `workspaces[0].inventory`); absent otherwise. */
  inventory?: Reconciliation;
  inventoryError?: string;
  /** Numbers nobody calls over every workspace checked (idle numbers carry `workspace` with several). */
  usage: UsageJson | null;
  /** With one workspace, its trend (same as `workspaces[0].trend`); null with several. */
  trend: TrendPoint[] | null;
  workspaces: Array<WorkspaceAuditJson | FailedWorkspaceJson>;
};

export function toJsonNumber(n: PhoneNumber, workspace?: string): AuditJsonNumber {
  // One object per number, not three: audit.json lists tens of thousands.
  const json: AuditJsonNumber = toSnapshotNumber(n);
  if (workspace !== undefined) json.workspace = workspace;
  return json;
}

/** A workspace's own figures, as figures() made them, in the same order. */
function sameFigures(ws: AuditJsonFigures): AuditJsonFigures {
  const { total, unroutedCount, byCountry, byType, byCountryType, byStatus, byProvider } = ws;
  const { unrouted, notActive, missingAgents, cost } = ws;
  return {
    total,
    unroutedCount,
    byCountry,
    byType,
    byCountryType,
    byStatus,
    byProvider,
    unrouted,
    notActive,
    missingAgents,
    cost,
  };
}

function figures(
  audit: AuditResult,
  cost: CostJson,
  missing: Array<{ n: PhoneNumber; ws?: string }> | null,
  wsOf: (n: PhoneNumber) => string | undefined,
): AuditJsonFigures {
  return {
    total: audit.total,
    unroutedCount: audit.unrouted.length,
    byCountry: audit.byCountry,
    byType: audit.byType,
    byCountryType: audit.byCountryType,
    byStatus: audit.byStatus,
    byProvider: audit.byProvider,
    unrouted: audit.unrouted.map((n) => toJsonNumber(n, wsOf(n))),
    notActive: audit.notActive.map((n) => toJsonNumber(n, wsOf(n))),
    missingAgents: missing === null ? null : missing.map(({ n, ws }) => toJsonNumber(n, ws)),
    cost,
  };
}

function costJson(cost: CostSummary, a: CostAttribution): CostJson {
  return {
    ...cost,
    byAgent: a.byAgent,
    byFolder: a.byFolder,
    unroutedMonthly: a.unroutedMonthly,
    unroutedUnknownCount: a.unroutedUnknownCount,
    unattributedMonthly: a.unattributedMonthly,
  };
}

/** Several workspaces: the sums, in cents so they stay exact. */
function combinedCostJson(cost: CostSummary, all: readonly WorkspaceAudit[]): CostJson {
  const cents = (pick: (a: CostAttribution) => number) => all.reduce((sum, w) => sum + toCents(pick(w.attribution)), 0);
  return {
    ...cost,
    unroutedMonthly: cents((a) => a.unroutedMonthly) / 100,
    unroutedUnknownCount: all.reduce((sum, w) => sum + w.attribution.unroutedUnknownCount, 0),
    unattributedMonthly: cents((a) => a.unattributedMonthly) / 100,
  };
}

function inventoryJson(ws: WorkspaceAudit | undefined): Pick<WorkspaceAuditJson, 'inventory' | 'inventoryError'> {
  const section = ws?.inventory;
  if (section === undefined) return {};
  return section.status === 'reconciled' ? { inventory: section.reconciliation } : { inventoryError: section.reason };
}

function filtersJson(filters: ListFilters, checks: ReadonlyArray<FilterCheck | undefined>): FiltersJson {
  const done = checks.filter((c): c is FilterCheck => c !== undefined);
  if (done.length === 0) return filters;
  const client = done.filter((c) => c.appliedBy === 'client');
  if (client.length === 0) return { ...filters, appliedBy: 'api' };
  return { ...filters, appliedBy: 'client', leftOut: client.reduce((sum, c) => sum + c.leftOut, 0) };
}

export function toWorkspaceAuditJson(ws: WorkspaceAudit, generatedAt: Date): WorkspaceAuditJson {
  const missing = ws.agents?.status === 'checked' ? ws.agents.missing.map((n) => ({ n })) : null;
  const changes = ws.changes;
  return {
    schemaVersion: AUDIT_SCHEMA_VERSION,
    generatedAt: generatedAt.toISOString(),
    workspace: ws.name,
    ok: true,
    filters: filtersJson(ws.filters, [ws.filtering]),
    complete: ws.complete,
    ...(ws.incompleteReason ? { incompleteReason: ws.incompleteReason } : {}),
    verified: ws.unverified === undefined,
    ...(ws.unverified ? { unverifiedReason: ws.unverified } : {}),
    baselineGuard: ws.baselineGuard ?? null,
    ...figures(ws.audit, costJson(ws.audit.cost, ws.attribution), missing, () => undefined),
    agentCheck:
      ws.agents === undefined
        ? { status: 'not-run' }
        : ws.agents.status === 'checked'
          ? { status: 'checked', agentCount: ws.agents.agentCount }
          : { status: 'skipped', reason: ws.agents.reason },
    folderCheck: ws.attribution.folders ?? { status: 'not-run' },
    ...inventoryJson(ws),
    changesStatus: changes === undefined ? 'not-configured' : changes.status,
    ...(changes?.status === 'skipped' ? { changesNote: changes.reason } : {}),
    changes: changes?.status === 'compared' ? changes.changes : null,
    usage: ws.usage === undefined ? null : toUsageJson(ws.usage),
    trend: ws.trend ?? null,
    listing: {
      reportedTotal: ws.reportedTotal,
      pages: ws.stats.pages,
      requests: ws.stats.requests,
      retries: ws.stats.retries,
      rateLimited: ws.stats.rateLimited,
      relisted: ws.stats.relisted,
      durationMs: ws.stats.durationMs,
    },
  };
}

function workspaceJson(ws: WorkspaceOutcome, generatedAt: Date): WorkspaceAuditJson | FailedWorkspaceJson {
  return ws.ok ? toWorkspaceAuditJson(ws, generatedAt) : { workspace: ws.name, ok: false, error: ws.error };
}

export function toAuditJson(run: AuditRun): AuditJson {
  const ok = run.workspaces.filter((w): w is WorkspaceAudit => w.ok);
  const single = run.workspaces.length === 1 ? ok[0] : undefined;
  const workspaces = run.workspaces.map((w) => workspaceJson(w, run.generatedAt));
  // One workspace: the top level is its figures, already made (its lists are most of the file).
  const same = single !== undefined && run.combined === single.audit ? (workspaces[0] as WorkspaceAuditJson) : null;
  const owner = new Map<PhoneNumber, string>();
  // By object, not id: two workspaces may reuse an id.
  if (single === undefined) for (const ws of ok) for (const n of ws.numbers) owner.set(n, ws.name);
  const wsOf = (n: PhoneNumber) => (single ? undefined : owner.get(n));
  const checked = ok.filter((w) => w.agents?.status === 'checked');
  const missing =
    checked.length === 0
      ? null
      : checked.flatMap((w) =>
          w.agents?.status === 'checked' ? w.agents.missing.map((n) => ({ n, ws: single ? undefined : w.name })) : [],
        );
  const incomplete = ok.filter((w) => !w.complete);
  return {
    schemaVersion: AUDIT_SCHEMA_VERSION,
    generatedAt: run.generatedAt.toISOString(),
    runId: run.runId,
    workspace: run.workspaces.length === 1 ? run.workspaces[0].name : null,
    filters: filtersJson(
      run.filters,
      ok.map((w) => w.filtering),
    ),
    complete: run.complete,
    ...(incomplete.length
      ? {
          incompleteReason: incomplete
            .map((w) => (single ? w.incompleteReason : `${w.name}: ${w.incompleteReason}`))
            .join('; '),
        }
      : {}),
    verified: ok.every((w) => w.unverified === undefined),
    baselineHeld: ok.some((w) => w.baselineGuard?.status === 'held'),
    failedWorkspaces: run.failedWorkspaces,
    ...(same
      ? sameFigures(same)
      : figures(
          run.combined,
          single ? costJson(run.combined.cost, single.attribution) : combinedCostJson(run.combined.cost, ok),
          missing,
          wsOf,
        )),
    changes: single?.changes?.status === 'compared' ? single.changes.changes : null,
    ...inventoryJson(single),
    usage: same ? same.usage : combinedUsage(ok, single !== undefined),
    trend: single?.trend ?? null,
    workspaces,
  };
}
