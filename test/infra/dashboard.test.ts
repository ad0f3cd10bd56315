// The dashboard draws only what the handler emits: every series in the handler's namespace is a
// metric the handler writes, with the same dimensions, for one workspace and for several (one line
// each). The handler's EMF output is captured from recordRun's own module, in process.
import { Template } from 'aws-cdk-lib/assertions';
import type { AuditRun } from '../../lambda/core/run-audit';
import { AUDIT_METRICS } from '../../lambda/settings';
import { failedWorkspace, phone, workspace } from '../core/fixtures';
import { addStack, buildApp } from './helpers';

interface Series {
  namespace: string;
  name: string;
  dimensions: Record<string, string>;
}

/** The dashboard's metric series, read from its body (intrinsics replaced by placeholders). */
function dashboardSeries(template: Template): Series[] {
  const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  const body = dashboard.Properties.DashboardBody;
  const text =
    typeof body === 'string'
      ? body
      : (body['Fn::Join'][1] as unknown[]).map((p) => (typeof p === 'string' ? p : 'TOKEN')).join('');
  const widgets = JSON.parse(text).widgets as Array<{ properties: { metrics?: unknown[][] } }>;
  return widgets.flatMap((w) =>
    (w.properties.metrics ?? []).map((row) => {
      const parts = row.filter((p) => typeof p === 'string') as string[];
      const [namespace, name, ...dims] = parts;
      const dimensions: Record<string, string> = {};
      for (let i = 0; i + 1 < dims.length; i += 2) dimensions[dims[i]] = dims[i + 1];
      return { namespace, name, dimensions };
    }),
  );
}

/** What the handler emits for `run`, as EMF series (namespace, metric, dimensions). */
function emittedSeries(run: AuditRun): Series[] {
  let output = '';
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    output += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  });
  try {
    jest.isolateModules(() => {
      const { metrics } = require('../../lambda/handler/observability');
      const { recordDashboardMetrics } = require('../../lambda/handler/run-metrics');
      const { METRIC } = require('../../lambda/handler/metric-names');
      // What recordRun adds besides the dashboard's own figures (index.ts cannot load without its env).
      metrics.addMetric(METRIC.TotalNumbers, 'Count', run.combined.total);
      metrics.addMetric(METRIC.UnroutedNumbers, 'Count', run.combined.unrouted.length);
      metrics.addMetric(METRIC.RunDuration, 'Milliseconds', 1);
      recordDashboardMetrics(run);
      metrics.publishStoredMetrics();
    });
  } finally {
    spy.mockRestore();
  }
  return output
    .split('\n')
    .filter((l) => l.includes('"_aws"'))
    .flatMap((l) => {
      const line = JSON.parse(l);
      const [cw] = line._aws.CloudWatchMetrics as Array<{
        Namespace: string;
        Dimensions: string[][];
        Metrics: Array<{ Name: string }>;
      }>;
      const dimensions = Object.fromEntries(cw.Dimensions[0].map((d) => [d, String(line[d])]));
      return cw.Metrics.map((m) => ({ namespace: cw.Namespace, name: m.Name, dimensions }));
    });
}

function run(names: string[]): AuditRun {
  const outcomes = names.map((name, i) =>
    i === 2 ? failedWorkspace(name) : workspace([phone({ id: `phn_${i}` })], { name }),
  );
  const numbers = outcomes.flatMap((w) => (w.ok ? w.numbers : []));
  const combined = outcomes.find((w) => w.ok)?.audit;
  return { workspaces: outcomes, combined: { ...combined, total: numbers.length } } as unknown as AuditRun;
}

it.each([
  ['one workspace', undefined, ['DialNexa workspace']],
  ['several workspaces (one line each)', ['Acme prod', 'Globex', 'Initech'], ['Acme prod', 'Globex', 'Initech']],
])('%s: every series in the handler namespace is emitted with its dimensions', (_what, names, runNames) => {
  const app = buildApp(
    names
      ? { workspaces: names.map((name) => ({ name, secretId: `${name.toLowerCase().replace(/\W/g, '')}/k` })) }
      : {},
  );
  const template = Template.fromStack(addStack(app));
  const drawn = dashboardSeries(template);
  const ours = drawn.filter((s) => s.namespace === AUDIT_METRICS.namespace);
  expect(ours.length).toBeGreaterThanOrEqual(7);
  if (names) {
    // Each figure has one series per workspace; the failed workspace (Initech) emits none that run.
    const perWorkspace = ours.filter((s) => AUDIT_METRICS.workspaceDimension in s.dimensions);
    expect(new Set(perWorkspace.map((s) => s.dimensions[AUDIT_METRICS.workspaceDimension]))).toEqual(new Set(names));
  }
  const emitted = emittedSeries(run(runNames));
  const key = (s: Series) => JSON.stringify([s.namespace, s.name, Object.entries(s.dimensions).sort()]);
  const emittedKeys = new Set(emitted.map(key));
  const orphans = ours.map(key).filter((k) => !emittedKeys.has(k));
  // A workspace that failed this run emits nothing for it; it does on a run where it is read.
  expect(orphans.filter((k) => !k.includes('Initech'))).toEqual([]);
  // Everything else on the dashboard: SES's metrics for the stack's own configuration set.
  for (const s of drawn.filter((d) => d.namespace !== AUDIT_METRICS.namespace)) {
    expect(s).toMatchObject({ namespace: 'AWS/SES', dimensions: { 'ses:configuration-set': expect.any(String) } });
  }
});

it('shows twelve weeks and the state of every alarm', () => {
  const template = Template.fromStack(addStack(buildApp()));
  const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  const text = JSON.stringify(dashboard.Properties.DashboardBody);
  expect(text).toContain('\\"start\\":\\"-P12W\\"');
  const alarmNames = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties.AlarmName);
  expect(alarmNames.length).toBe(9);
  for (const name of alarmNames) expect(text).toContain(`:alarm:${name}`);
  expect(dashboard.Properties.DashboardName).toBe('NumberAudit');
});
