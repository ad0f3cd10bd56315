// The real artifact: `cdk synth` through the CLI (offline, no credentials, no Docker), then the
// bundled index.js (and the run-handler.js it loads on the first invocation) from the cloud
// assembly, loaded in a fresh Node process with the environment the template gives the function,
// invoked with the schedule's own input (delivered twice) and the console events. DialNexa is the
// simulator, SES is aws-ses-v2-local, Secrets Manager and the history bucket are local stand-ins;
// what the function did in the bucket is held against the IAM statements the template grants it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { synthesize, type SynthOutput } from '../../scripts/aws/synth';
import { type InvokeResult, runBundle } from '../../scripts/support/run-bundle';
import { generateAgents, generatePortfolio, startSimulator, type Simulator } from '../../simulator';
import { startSecretsLocal, type SecretsLocal } from '../../scripts/support/secrets-local';
import { startSesLocal, type SesLocal } from '../../scripts/support/ses-local';
import { startEventsLocal, type EventsLocal } from '../../scripts/support/events-local';
import { startS3Local, type S3Local } from './fixtures/s3-local';
import type { Template } from 'aws-cdk-lib/assertions';
import { flat, ROOT } from './helpers';

const RECIPIENTS = 'ops@example.com,finance@example.com';
const SENDER = 'audit@reports.example.com';
const SCHEDULE_ARN = 'arn:aws:scheduler:eu-west-1:123456789012:schedule/default/NumberAudit-WeeklySchedule';

/** The handler's return value, as far as these tests read it. */
interface Summary {
  status: string;
  total: number;
  dryRun: boolean;
  messageId?: string;
  byCountry: Record<string, number>;
  complete: boolean;
  runId: string;
  workspaces: Array<{ changesStatus?: string }>;
}

let outdir: string;
let synth: SynthOutput;
/** A resource as aws-cdk-lib's assertions type it: properties are not typed. */
type ResourceJson = ReturnType<Template['findResources']>[string] & { Type: string };
let template: { Resources: Record<string, ResourceJson> };
let assetDir: string;

beforeAll(async () => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'number-audit-synth-'));
  // No AWS credentials, profile or region reach it: synth needs no AWS account.
  synth = await synthesize(outdir, { recipients: RECIPIENTS, sender: SENDER, timeZone: 'Asia/Kolkata' });
  template = JSON.parse(fs.readFileSync(path.join(outdir, 'NumberAudit.template.json'), 'utf8'));
  const assets = JSON.parse(fs.readFileSync(path.join(outdir, 'NumberAudit.assets.json'), 'utf8'));
  const zipped = Object.values(assets.files as Record<string, { source: { path: string; packaging?: string } }>).filter(
    (f) => f.source.packaging === 'zip',
  );
  expect(zipped).toHaveLength(1);
  assetDir = path.join(outdir, zipped[0].source.path);
}, 90_000);

afterAll(() => {
  if (outdir) fs.rmSync(outdir, { recursive: true, force: true });
});

const resources = (type: string) => Object.values(template.Resources).filter((r) => r.Type === type);

describe('cdk synth', () => {
  it('is quiet: no notices, telemetry banner, feature-flag or cdk-nag output, only the bundling line', () => {
    expect(synth.stdout).toBe('');
    expect(synth.stderr.trim().split('\n')).toEqual(['Bundling asset NumberAudit/AuditFunction/Default/Code/Stage...']);
  });

  it('ran cdk-nag: its acknowledgments, with their reasons, are in the template', () => {
    const acknowledged = Object.entries(template.Resources).flatMap(([id, r]) =>
      (
        (r as { Metadata?: { cdk_nag?: { rules_to_suppress: Array<{ id: string; reason: string }> } } }).Metadata
          ?.cdk_nag?.rules_to_suppress ?? []
      ).map((s) => ({ resource: id.replace(/[0-9A-F]{8}$/, ''), ...s })),
    );
    expect(acknowledged).toEqual([
      { resource: 'HistoryBucket', id: 'AwsSolutions-S1', reason: expect.stringContaining('already emailed') },
      ...['reports', 'latest', 'idempotency'].map((prefix) => ({
        resource: 'AuditFunctionHistoryAccess',
        id: expect.stringMatching(
          new RegExp(`^AwsSolutions-IAM5\\[Resource::<HistoryBucket[0-9A-F]{8}\\.Arn>/${prefix}/\\*\\]$`),
        ),
        reason: expect.stringContaining(`objects under ${prefix}/`),
      })),
      {
        resource: 'AuditFunctionHistoryAccess',
        id: expect.stringMatching(/^AwsSolutions-IAM5\[Resource::<HistoryBucket[0-9A-F]{8}\.Arn>\/inventory\/\*\]$/),
        reason: expect.stringContaining('Read-only'),
      },
      { resource: 'ScheduleDlq', id: 'AwsSolutions-SQS3', reason: expect.stringContaining('dead-letter queue') },
      { resource: 'FailedRuns', id: 'AwsSolutions-SQS3', reason: expect.stringContaining('dead-letter queue') },
    ]);
    const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports).toEqual([]);
  });

  it('produced minified CommonJS index.js and run-handler.js with external source maps, and the template points at them', () => {
    expect(fs.readdirSync(assetDir).sort()).toEqual([
      'index.js',
      'index.js.map',
      'run-handler.js',
      'run-handler.js.map',
    ]);
    const sources: Record<string, string[]> = {};
    for (const file of ['index.js', 'run-handler.js']) {
      const code = fs.readFileSync(path.join(assetDir, file), 'utf8');
      expect(code.trimEnd().endsWith(`//# sourceMappingURL=${file}.map`)).toBe(true);
      // Minified: long lines (only template literals keep their line breaks).
      expect(code.length / code.split('\n').length).toBeGreaterThan(2000);
      const map = JSON.parse(fs.readFileSync(path.join(assetDir, `${file}.map`), 'utf8'));
      expect(map.sourcesContent).toBeUndefined();
      sources[file] = map.sources;
      // Guards against an accidental dependency explosion; issue 6 measures the real trade-offs.
      expect(fs.statSync(path.join(assetDir, file)).size).toBeLessThan(3 * 1024 * 1024);
    }
    // Cold start loads the config check only; the run's code and the SDK come with the first invocation.
    expect(sources['index.js'].some((s) => s.endsWith('lambda/handler/index.ts'))).toBe(true);
    expect(sources['index.js'].some((s) => s.endsWith('lambda/handler/config.ts'))).toBe(true);
    expect(sources['index.js'].filter((s) => /run-audit\.ts$|@aws-sdk|libphonenumber|nodemailer/.test(s))).toEqual([]);
    expect(sources['run-handler.js'].some((s) => s.endsWith('lambda/core/run-audit.ts'))).toBe(true);
    expect(fs.readFileSync(path.join(assetDir, 'index.js'), 'utf8')).toContain('require("./run-handler")');
    const [fn] = resources('AWS::Lambda::Function');
    expect(fn.Properties.Code.S3Key).toBe(`${path.basename(assetDir).replace(/^asset\./, '')}.zip`);
  });
});

describe('the bundled handler', () => {
  let sim: Simulator;
  let ses: SesLocal;
  let secrets: SecretsLocal;
  let s3: S3Local;
  let bus: EventsLocal;
  let fnEnv: Record<string, unknown>;
  let env: Record<string, string>;
  let results: Array<InvokeResult<Summary>>;
  let childOutput: string;
  const events: Record<string, unknown> = {};

  beforeAll(async () => {
    const agents = generateAgents(11, 6);
    sim = await startSimulator({
      numbers: generatePortfolio({ seed: 11, size: 240, variants: 'mixed', agentIds: agents.map((a) => a.id) }),
      agents,
    });
    ses = await startSesLocal();
    s3 = await startS3Local('number-audit-history-test');
    bus = await startEventsLocal();
    const [fn] = resources('AWS::Lambda::Function');
    fnEnv = fn.Properties.Environment.Variables as Record<string, unknown>;
    secrets = await startSecretsLocal({
      [fnEnv.DIALNEXA_SECRET_ID as string]: JSON.stringify({ [fnEnv.DIALNEXA_SECRET_FIELD as string]: sim.apiKey }),
    });
    env = {
      PATH: process.env.PATH ?? '',
      // Exactly what the template gives the function, plus what Lambda and the stand-ins provide.
      ...(fnEnv as Record<string, string>),
      // A Ref to the stack's bucket in the template; its name once deployed.
      ARCHIVE_BUCKET: s3.bucket,
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      DIALNEXA_BASE_URL: sim.url,
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'test-access-key',
      AWS_SECRET_ACCESS_KEY: 'test-secret-key',
      AWS_ENDPOINT_URL_SES: ses.endpoint,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
      AWS_ENDPOINT_URL_EVENTBRIDGE: bus.endpoint,
      AWS_LAMBDA_FUNCTION_NAME: 'NumberAudit-AuditFunction',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };

    // What EventBridge Scheduler sends: the target's Input with the context attributes filled in.
    const [schedule] = resources('AWS::Scheduler::Schedule');
    events.schedule = JSON.parse(
      (schedule.Properties.Target.Input as string)
        .replace('<aws.scheduler.scheduled-time>', '2026-11-30T03:30:00Z')
        .replace('<aws.scheduler.schedule-arn>', SCHEDULE_ARN),
    );
    // Scheduler delivers at least once: the same schedule time again.
    events.scheduleAgain = { ...(events.schedule as object) };
    for (const name of ['weekly', 'dry-run', 'only-india-local']) {
      events[name] = JSON.parse(fs.readFileSync(path.join(ROOT, 'events', `${name}.json`), 'utf8'));
    }
    events.typo = { dryrun: true };

    // Each event is its own invocation, with a request id of its own.
    ({ results, output: childOutput } = await runBundle<Summary>(
      { codeDir: assetDir, handler: fn.Properties.Handler, env },
      Object.values(events).map((event) => ({ event })),
    ));
  }, 60_000);

  afterAll(async () => {
    await Promise.all([sim?.close(), ses?.close(), secrets?.close(), s3?.close(), bus?.close()]);
  });

  const result = (name: string): InvokeResult<Summary> => results[Object.keys(events).indexOf(name)];
  /** The handler's return value; a failed invocation fails the test with the handler's own error. */
  const value = (name: string): Summary => {
    const r = result(name);
    if (!r.ok) throw new Error(`the ${name} event failed: ${r.name}: ${r.message}\n${r.stack}`);
    return r.value!;
  };

  it('the schedule event produces a complete report, emailed to the configured recipients', async () => {
    const run = value('schedule');
    expect(run).toMatchObject({ total: 240, complete: true, dryRun: false });
    const emails = await ses.emails();
    const scheduled = emails.find((e) => e.messageId === run.messageId);
    expect(scheduled).toBeDefined();
    expect(scheduled!.from).toBe(SENDER);
    expect(scheduled!.destination.to.join(',').split(/,\s*/)).toEqual(RECIPIENTS.split(','));
    expect(scheduled!.attachments).toHaveLength(1);
    expect(scheduled!.attachments[0].filename).toMatch(/\.csv(\.gz)?$/);
  });

  it('each run that sent put one Completed event on the default bus, the rejected event a Failed one; the duplicate and the dry run none', () => {
    expect(fnEnv.PUBLISH_EVENTS).toBe('true');
    // schedule, weekly and the India run sent; the rejected event is a failed run.
    expect(bus.entries.map((e) => [e.Source, e.DetailType])).toEqual([
      ['number-audit', 'Number Audit Completed'],
      ['number-audit', 'Number Audit Completed'],
      ['number-audit', 'Number Audit Completed'],
      ['number-audit', 'Number Audit Failed'],
    ]);
    const runIds = bus.entries.map((e) => JSON.parse(e.Detail).runId);
    expect(runIds.slice(0, 3)).toEqual(['schedule', 'weekly', 'only-india-local'].map((n) => value(n).runId));
    // The sent runs name where they were archived in the stack's bucket.
    expect(JSON.parse(bus.entries[0].Detail).archive).toEqual({
      bucket: s3.bucket,
      key: expect.stringMatching(
        new RegExp(`^reports/dialnexa-workspace/\\d{4}/\\d{2}/\\d{2}/${value('schedule').runId}/$`),
      ),
    });
  });

  it('a second delivery of the same schedule time sends nothing', () => {
    expect(value('scheduleAgain')).toMatchObject({ status: 'duplicate' });
  });

  it('read the key through the secret the stack names', () => {
    const [fn] = resources('AWS::Lambda::Function');
    // Read once at cold start and cached across the six invocations.
    expect(secrets.calls(fn.Properties.Environment.Variables.DIALNEXA_SECRET_ID)).toBe(1);
  });

  it('the committed console events run as documented', async () => {
    expect(value('weekly')).toMatchObject({ total: 240, dryRun: false });
    expect(value('dry-run')).toMatchObject({ total: 240, dryRun: true });
    const india = value('only-india-local');
    expect(Object.keys(india.byCountry)).toEqual(['IN']);
    const emails = await ses.emails();
    // schedule + weekly + India; the duplicate delivery and the dry run send nothing.
    expect(emails).toHaveLength(3);
    expect(emails.find((e) => e.messageId === india.messageId)?.destination.to).toEqual(['you@example.com']);
  });

  it('a bad setting fails the load (cold start), naming the setting, before any invocation', async () => {
    const { results: loaded } = await runBundle(
      { codeDir: assetDir, handler: 'index.handler', env: { ...env, REPORT_TIME_ZONE: 'Mars/Olympus' } },
      [{ event: {} }],
    );
    expect(loaded).toEqual([
      expect.objectContaining({ ok: false, name: 'LoadError', message: expect.stringContaining('REPORT_TIME_ZONE') }),
    ]);
  });

  it('a rejected event fails with its error class name intact and a stack mapped to the TypeScript source', () => {
    const typo = result('typo');
    expect(typo).toMatchObject({
      ok: false,
      name: 'ConfigError',
      message: expect.stringMatching(/^event\.dryrun: is not a known field/),
    });
    expect(typo.stack).toMatch(/lambda\/handler\/event\.ts:\d+:\d+/);
  });

  it("keeps its history in the stack's bucket, in the documented layout", () => {
    const [bucket] = Object.entries(template.Resources).filter(([, r]) => r.Type === 'AWS::S3::Bucket');
    expect(fnEnv.ARCHIVE_BUCKET).toEqual({ Ref: bucket[0] });
    const keys = [...s3.objects.keys()];
    const run =
      /^reports\/dialnexa-workspace\/\d{4}\/\d{2}\/\d{2}\/([^/]+)\/(audit\.json|numbers\.csv|report\.html|snapshot\.json|summary\.json)$/;
    const others = keys.filter((k) => !run.test(k));
    // The scheduled run is keyed on its schedule time; each console run on its invocation (Lambda's
    // retries of it share the request id); the dry run claims nothing.
    expect(others.sort()).toEqual([
      expect.stringMatching(/^idempotency\/[0-9a-f]{64}\.json$/),
      expect.stringMatching(/^idempotency\/invocation-[\w-]+\.json$/),
      expect.stringMatching(/^idempotency\/invocation-[\w-]+\.json$/),
      'latest/dialnexa-workspace.json',
    ]);
    // The India run is filtered and sent to other recipients: never the baseline.
    const pointer = JSON.parse(s3.objects.get('latest/dialnexa-workspace.json')!.body.toString('utf8')) as {
      runId: string;
    };
    expect(pointer.runId).not.toBe(value('only-india-local').runId);
    expect(value('only-india-local').workspaces[0]).toMatchObject({ changesStatus: 'skipped' });
    // schedule, weekly and the India run each get a folder; the duplicate and the dry run do not.
    const runs = new Set(keys.filter((k) => run.test(k)).map((k) => run.exec(k)![1]));
    expect(runs.size).toBe(3);
    expect(keys.filter((k) => run.test(k))).toHaveLength(15);
  });

  it('did nothing in the bucket its IAM statements would refuse', () => {
    const [bucketId] = Object.entries(template.Resources).find(([, r]) => r.Type === 'AWS::S3::Bucket')!;
    const [fn] = resources('AWS::Lambda::Function');
    const roleId = fn.Properties.Role['Fn::GetAtt'][0];
    const statements = resources('AWS::IAM::Policy')
      .filter((p) => (p.Properties.Roles as Array<{ Ref: string }>).some((r) => r.Ref === roleId))
      .flatMap(
        (p) =>
          flat(p.Properties.PolicyDocument.Statement) as Array<{
            Effect: string;
            Action: string | string[];
            Resource: string | string[];
          }>,
      )
      .filter((st) => st.Effect === 'Allow');
    const bucketArn = `\${${bucketId}.Arn}`;
    const glob = (pattern: string) =>
      new RegExp(
        `^${pattern
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '.*')
          .replace(/\?/g, '.')}$`,
      );
    const allowed = (action: string, resource: string) =>
      statements.some(
        (st) => [st.Action].flat().includes(action) && [st.Resource].flat().some((r) => glob(r).test(resource)),
      );
    expect(s3.requests.length).toBeGreaterThan(10);
    for (const r of s3.requests) {
      // ListBucket is authorized on the bucket; the stand-in records the prefix it listed.
      const resource = r.action === 's3:ListBucket' ? bucketArn : `${bucketArn}/${r.key}`;
      expect([r.action, r.key, allowed(r.action, resource)]).toEqual([r.action, r.key, true]);
    }
    // The trend lists the workspace's run folders.
    expect(s3.requests.some((r) => r.action === 's3:ListBucket' && r.key === 'reports/dialnexa-workspace/')).toBe(true);
    // The first run read keys that did not exist yet; S3 answers those 404 only with ListBucket.
    expect(s3.requests.some((r) => r.status === 404)).toBe(true);
    expect(allowed('s3:ListBucket', bucketArn)).toBe(true);
    expect(allowed('s3:DeleteObject', `${bucketArn}/reports/x`)).toBe(false);
    expect(allowed('s3:GetObject', `${bucketArn}/elsewhere/x`)).toBe(false);
  });

  it('emits the metrics its alarms watch, in the namespace and with the dimension they watch', () => {
    const alarmed = resources('AWS::CloudWatch::Alarm')
      .map(
        (a) =>
          a.Properties as {
            Namespace?: string;
            MetricName?: string;
            Dimensions?: Array<{ Name: string; Value: string }>;
          },
      )
      .filter((p) => p.Namespace === 'NumberAudit');
    expect(alarmed.map((p) => p.MetricName).sort()).toEqual([
      'ArchiveFailures',
      'EventPublishFailures',
      'FailedWorkspaces',
      'IncompleteListings',
      'UncertainDelivery',
    ]);
    // Every run emits each of them (UncertainDelivery as 0 unless SES's answer was lost).
    const emittedHere = alarmed;
    const emf = childOutput
      .split('\n')
      .filter((line) => line.includes('"_aws"'))
      .map(
        (line) =>
          JSON.parse(line) as {
            _aws: {
              CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string }> }>;
            };
            service?: string;
          },
      );
    expect(emf.length).toBeGreaterThan(0);
    for (const alarm of emittedHere) {
      const line = emf.find((e) => e._aws.CloudWatchMetrics[0].Metrics.some((m) => m.Name === alarm.MetricName));
      expect(line).toBeDefined();
      expect(line!._aws.CloudWatchMetrics[0].Namespace).toBe(alarm.Namespace);
      expect(line!._aws.CloudWatchMetrics[0].Dimensions).toEqual([alarm.Dimensions!.map((d) => d.Name)]);
      for (const d of alarm.Dimensions!) expect((line as Record<string, unknown>)[d.Name]).toBe(d.Value);
    }
  });

  it('never writes the API key to its output', () => {
    expect(childOutput).toContain('audit finished');
    expect(childOutput).not.toContain(sim.apiKey);
  });
});
