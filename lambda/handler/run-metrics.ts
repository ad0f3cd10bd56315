// The run's figures for the dashboard: combined under the service dimension, and with several
// workspaces one series per workspace as well (dimension AUDIT_METRICS.workspaceDimension), so the
// stack's widgets can draw a line per workspace.
import type { AuditRun } from '../core/run-audit';
import { idleCount, missingAgentCount, type WorkspaceAudit } from '../core/workspace';
import { AUDIT_METRICS } from '../settings';
import { METRIC } from './metric-names';
import { dimensionedMetrics, metrics, MetricUnit } from './observability';

type Sink = Pick<typeof metrics, 'addMetric'>;

function addFigures(
  sink: Sink,
  figures: { total: number; unrouted: number; missing: number; idle: number; cost: number },
): void {
  sink.addMetric(METRIC.TotalNumbers, MetricUnit.Count, figures.total);
  sink.addMetric(METRIC.UnroutedNumbers, MetricUnit.Count, figures.unrouted);
  sink.addMetric(METRIC.MissingAgentNumbers, MetricUnit.Count, figures.missing);
  sink.addMetric(METRIC.IdleNumbers, MetricUnit.Count, figures.idle);
  sink.addMetric(METRIC.MonthlyCost, MetricUnit.NoUnit, figures.cost);
}

/** Added to the run's stored metrics (TotalNumbers and UnroutedNumbers are recordRun's). */
export function recordDashboardMetrics(run: AuditRun): void {
  const audited = run.workspaces.filter((w): w is WorkspaceAudit => w.ok);
  const sum = (of: (w: WorkspaceAudit) => number) => audited.reduce((total, w) => total + of(w), 0);
  metrics.addMetric(METRIC.MissingAgentNumbers, MetricUnit.Count, sum(missingAgentCount));
  metrics.addMetric(METRIC.IdleNumbers, MetricUnit.Count, sum(idleCount));
  metrics.addMetric(METRIC.MonthlyCost, MetricUnit.NoUnit, run.combined.cost.totalMonthly);
  metrics.addMetric(
    METRIC.DialNexaRequests,
    MetricUnit.Count,
    sum((w) => w.stats.requests),
  );
  metrics.addMetric(
    METRIC.RateLimitedRequests,
    MetricUnit.Count,
    sum((w) => w.stats.rateLimited),
  );
  if (run.workspaces.length < 2) return;
  for (const w of audited) {
    const perWorkspace = dimensionedMetrics({ [AUDIT_METRICS.workspaceDimension]: w.name });
    addFigures(perWorkspace, {
      total: w.audit.total,
      unrouted: w.audit.unrouted.length,
      missing: missingAgentCount(w),
      idle: idleCount(w),
      cost: w.audit.cost.totalMonthly,
    });
    perWorkspace.publishStoredMetrics();
  }
}
