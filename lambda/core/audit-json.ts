// audit.json: the stable, documented contract scripts rely on (README "audit.json"). Add fields,
// never rename or remove them without bumping schemaVersion.
import type { AuditRun } from './run-audit';
import type { CostSummary, Counts, ListFilters, NumberType, PhoneNumber } from './types';

export const AUDIT_SCHEMA_VERSION = 1;

export interface AuditJsonNumber {
  id: string;
  phoneNumber: string;
  countryCode: string;
  type: NumberType;
  status: string | null;
  nickname: string | null;
}

export interface AuditJson {
  schemaVersion: number;
  generatedAt: string;
  workspace: string;
  filters: ListFilters;
  complete: boolean;
  incompleteReason?: string;
  total: number;
  unroutedCount: number;
  byCountry: Counts;
  byType: Record<NumberType, number>;
  byCountryType: Record<string, Record<NumberType, number>>;
  byStatus: Counts;
  byProvider: Counts;
  unrouted: AuditJsonNumber[];
  notActive: AuditJsonNumber[];
  cost: CostSummary;
  listing: {
    reportedTotal: number | null;
    pages: number;
    requests: number;
    retries: number;
    rateLimited: number;
    relisted: boolean;
    durationMs: number;
  };
}

export function toJsonNumber(n: PhoneNumber): AuditJsonNumber {
  return {
    id: n.id,
    phoneNumber: n.phoneNumber,
    countryCode: n.countryCode,
    type: n.type,
    status: n.status,
    nickname: n.nickname,
  };
}

export function toAuditJson(run: AuditRun): AuditJson {
  const { audit, stats } = run;
  return {
    schemaVersion: AUDIT_SCHEMA_VERSION,
    generatedAt: run.generatedAt.toISOString(),
    workspace: run.workspaceName,
    filters: run.filters,
    complete: run.complete,
    ...(run.incompleteReason ? { incompleteReason: run.incompleteReason } : {}),
    total: audit.total,
    unroutedCount: audit.unrouted.length,
    byCountry: audit.byCountry,
    byType: audit.byType,
    byCountryType: audit.byCountryType,
    byStatus: audit.byStatus,
    byProvider: audit.byProvider,
    unrouted: audit.unrouted.map(toJsonNumber),
    notActive: audit.notActive.map(toJsonNumber),
    cost: audit.cost,
    listing: {
      reportedTotal: run.reportedTotal,
      pages: stats.pages,
      requests: stats.requests,
      retries: stats.retries,
      rateLimited: stats.rateLimited,
      relisted: stats.relisted,
      durationMs: stats.durationMs,
    },
  };
}
