// The stack's CloudWatch dashboard: twelve weeks of the run's figures, the DialNexa API's load, and
// every alarm's state. Each series is built from METRIC and AUDIT_METRICS, the names the handler
// emits with, so a rename cannot leave a widget on a metric nobody emits (test/infra/dashboard.test.ts).
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { METRIC, type MetricName } from '../lambda/handler/metric-names';
import { AUDIT_METRICS } from '../lambda/settings';

/** Weekly runs: twelve of them on screen, one point per day (a console run may add one). */
export const DASHBOARD_RANGE = '-P12W';
const POINT = Duration.days(1);

export interface AuditDashboardProps {
  dashboardName: string;
  /** With two or more workspaces the figures get one line each; otherwise one line in all. */
  workspaceNames: readonly string[];
  alarms: readonly cloudwatch.IAlarm[];
  /** Extra rows (e.g. the report's bounces), below the figures. */
  extraWidgets?: cloudwatch.IWidget[];
}

/** [widget title, metric, statistic], drawn in this order, four to a row. */
const FIGURES: ReadonlyArray<[string, MetricName, string]> = [
  ['Numbers', METRIC.TotalNumbers, cloudwatch.Stats.MAXIMUM],
  ['Unrouted (active, no inbound agent)', METRIC.UnroutedNumbers, cloudwatch.Stats.MAXIMUM],
  ['Routed to a missing agent', METRIC.MissingAgentNumbers, cloudwatch.Stats.MAXIMUM],
  ['Idle (nobody called in the window)', METRIC.IdleNumbers, cloudwatch.Stats.MAXIMUM],
  ['Monthly cost (USD, known costs)', METRIC.MonthlyCost, cloudwatch.Stats.MAXIMUM],
];

export class AuditDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: AuditDashboardProps) {
    super(scope, id);
    const perWorkspace = props.workspaceNames.length > 1 ? props.workspaceNames : undefined;
    const figure = ([title, name, statistic]: (typeof FIGURES)[number]) =>
      new cloudwatch.GraphWidget({
        title,
        width: 6,
        left: perWorkspace
          ? perWorkspace.map((ws) => auditMetric(name, statistic, ws))
          : [auditMetric(name, statistic)],
        leftYAxis: { min: 0 },
      });
    this.dashboard = new cloudwatch.Dashboard(this, 'Resource', {
      dashboardName: props.dashboardName,
      start: DASHBOARD_RANGE,
      widgets: [
        FIGURES.map(figure),
        [
          new cloudwatch.GraphWidget({
            title: 'Run duration (ms)',
            width: 8,
            left: [auditMetric(METRIC.RunDuration, cloudwatch.Stats.MAXIMUM)],
            leftYAxis: { min: 0 },
          }),
          new cloudwatch.GraphWidget({
            title: 'DialNexa API requests and 429s',
            width: 8,
            left: [
              auditMetric(METRIC.DialNexaRequests, cloudwatch.Stats.SUM),
              auditMetric(METRIC.RateLimitedRequests, cloudwatch.Stats.SUM),
            ],
            leftYAxis: { min: 0 },
          }),
          ...(props.extraWidgets ?? []),
        ],
        [new cloudwatch.AlarmStatusWidget({ title: 'Alarms', width: 24, alarms: [...props.alarms] })],
      ],
    });
  }
}

/** One of the handler's metrics: the combined series, or one workspace's. */
export function auditMetric(name: MetricName, statistic: string, workspace?: string): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: AUDIT_METRICS.namespace,
    metricName: name,
    dimensionsMap: {
      service: AUDIT_METRICS.service,
      ...(workspace === undefined ? {} : { [AUDIT_METRICS.workspaceDimension]: workspace }),
    },
    label: workspace ?? name,
    period: POINT,
    statistic,
  });
}
