// The last runs at a glance: each run leaves a small summary in its folder, and the report draws
// the last TREND_RUNS complete, unfiltered ones (this one included) oldest first.
import * as z from 'zod';
import { isUnfiltered } from './filters';
import type { AuditResult, ListFilters } from './types';
import type { UsageCheck } from './usage';

/** What a summary is made of: a workspace's audit (kept structural, so workspace.ts may import this module). */
export interface SummarySource {
  complete: boolean;
  filters: ListFilters;
  audit: Pick<AuditResult, 'total' | 'unrouted' | 'cost'>;
  usage?: UsageCheck;
}

export const TREND_RUNS = 12;
/** The per-run summary next to audit.json: a few hundred bytes, read instead of the whole audit. */
export const RUN_SUMMARY_FILE = 'summary.json';

export interface TrendPoint {
  generatedAt: string;
  total: number;
  unroutedCount: number;
  /** Null when usage was not checked in that run. */
  idleCount: number | null;
  totalMonthly: number;
}

export interface RunSummary extends TrendPoint {
  complete: boolean;
  unfiltered: boolean;
}

export function runSummary(ws: SummarySource, generatedAt: Date): RunSummary {
  return {
    generatedAt: generatedAt.toISOString(),
    complete: ws.complete,
    unfiltered: isUnfiltered(ws.filters),
    total: ws.audit.total,
    unroutedCount: ws.audit.unrouted.length,
    idleCount: ws.usage?.status === 'checked' ? ws.usage.idle.length : null,
    totalMonthly: ws.audit.cost.totalMonthly,
  };
}

export function serializeRunSummary(summary: RunSummary): string {
  return `${JSON.stringify({ schemaVersion: 1, ...summary })}\n`;
}

const count = z.number().int().nonnegative();
const summarySchema = z.object({
  generatedAt: z.string().refine((s) => !Number.isNaN(Date.parse(s))),
  complete: z.boolean(),
  unfiltered: z.boolean(),
  total: count,
  unroutedCount: count,
  idleCount: count.nullable(),
  totalMonthly: z.number().nonnegative(),
});

/** Runs from before summaries existed: the same facts read from their audit.json. */
const auditJsonSchema = z.looseObject({
  generatedAt: z.string().refine((s) => !Number.isNaN(Date.parse(s))),
  complete: z.boolean(),
  filters: z.looseObject({ countryCode: z.string().optional(), type: z.string().optional() }),
  total: count,
  unroutedCount: count,
  cost: z.looseObject({ totalMonthly: z.number().nonnegative() }),
  usage: z.looseObject({ idleCount: count.optional() }).nullish(),
});

/** A summary.json, or an older run's audit.json; null when neither reads. */
export function parseRunSummary(text: string): RunSummary | null {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return null;
  }
  const s = summarySchema.safeParse(body);
  if (s.success) return s.data;
  const a = auditJsonSchema.safeParse(body);
  if (!a.success) return null;
  const { generatedAt, complete, filters, total, unroutedCount, cost, usage } = a.data;
  return {
    generatedAt,
    complete,
    unfiltered: filters.countryCode === undefined && filters.type === undefined,
    total,
    unroutedCount,
    idleCount: usage?.idleCount ?? null,
    totalMonthly: cost.totalMonthly,
  };
}

/** Counts for the trend: complete and unfiltered, so one run compares with the next. */
export function countsForTrend(s: RunSummary): boolean {
  return s.complete && s.unfiltered;
}

/** The last TREND_RUNS runs that count, this one included when it counts, oldest first. */
export function trendOf(previous: readonly RunSummary[], current: RunSummary): TrendPoint[] {
  const byTime = new Map<string, RunSummary>();
  for (const s of [...previous, current]) if (countsForTrend(s)) byTime.set(s.generatedAt, s);
  return [...byTime.values()]
    .sort((a, b) => Date.parse(a.generatedAt) - Date.parse(b.generatedAt))
    .slice(-TREND_RUNS)
    .map(({ generatedAt, total, unroutedCount, idleCount, totalMonthly }) => ({
      generatedAt,
      total,
      unroutedCount,
      idleCount,
      totalMonthly,
    }));
}
