// The run's EventBridge event from the real handler: DialNexa is the simulator, SES aws-ses-v2-local,
// Secrets Manager and EventBridge local stand-ins. One event per run that sends; none for a dry run;
// a failed run says so; and a bus that refuses or fails never fails the run.
import type { Context } from 'aws-lambda';
import { startEventsLocal, type EventsLocal } from '../../scripts/support/events-local';
import { startSecretsLocal, type SecretsLocal } from '../../scripts/support/secrets-local';
import { startSesLocal, type SesLocal } from '../../scripts/support/ses-local';
import { generateAgents, generatePortfolio, startSimulator, type Simulator } from '../../simulator';
import { RUN_EVENT, runEventDetailSchema } from '../../lambda/handler/run-event';
import { captureOutput, type CapturedOutput, type Handler, loadHandler } from './fixtures';

const SECRET_ID = 'number-audit/dialnexa';
const FUNCTION_ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:NumberAudit-AuditFunction';
let requests = 0;

function context(): Context {
  requests += 1;
  return {
    functionName: 'NumberAudit-AuditFunction',
    invokedFunctionArn: FUNCTION_ARN,
    awsRequestId: `req-${requests}`,
    getRemainingTimeInMillis: () => 120_000,
  } as unknown as Context;
}

describe('run events', () => {
  let sim: Simulator;
  let ses: SesLocal;
  let secrets: SecretsLocal;
  let events: EventsLocal;
  let handler: Handler;
  let output: CapturedOutput;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    const agents = generateAgents(3, 4);
    sim = await startSimulator({
      numbers: generatePortfolio({ seed: 3, size: 80, variants: 'mixed', agentIds: agents.map((a) => a.id) }),
      agents,
    });
    [ses, secrets, events] = await Promise.all([
      startSesLocal(),
      startSecretsLocal({ [SECRET_ID]: JSON.stringify({ apiKey: sim.apiKey }) }),
      startEventsLocal(),
    ]);
    Object.assign(process.env, {
      DIALNEXA_SECRET_ID: SECRET_ID,
      DIALNEXA_BASE_URL: sim.url,
      REPORT_RECIPIENTS: 'ops@example.com',
      REPORT_SENDER: 'reports@example.com',
      WORKSPACE_NAME: 'Acme prod',
      PUBLISH_EVENTS: 'true',
      AWS_ENDPOINT_URL_SES: ses.endpoint,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
      AWS_ENDPOINT_URL_EVENTBRIDGE: events.endpoint,
    });
    output = captureOutput();
    handler = loadHandler();
  });

  afterAll(async () => {
    output.restore();
    process.env = savedEnv;
    await Promise.all([sim.close(), ses.close(), secrets.close(), events.close()]);
  });

  beforeEach(() => {
    events.entries.length = 0;
    events.mode = 'accept';
    output.clear();
  });

  /** The EMF values of one metric in the output so far. */
  const emitted = (name: string): number[] =>
    output.text
      .split('\n')
      .filter((l) => l.includes('"_aws"'))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => name in l)
      .map((l) => l[name] as number);

  it('a scheduled run that sends puts exactly one event on the default bus, in the documented schema', async () => {
    const summary = await handler(
      { scheduledTime: '2026-11-30T03:30:00Z', scheduleArn: 'arn:aws:scheduler:eu-west-1:1:schedule/default/w' },
      context(),
    );
    expect(summary.status).toBe('sent');
    expect(events.entries).toHaveLength(1);
    const [entry] = events.entries;
    expect(entry).toMatchObject({ Source: RUN_EVENT.source, Resources: [FUNCTION_ARN] });
    // No EventBusName: the default bus, the one the IAM grant names.
    expect(entry.EventBusName).toBeUndefined();
    const detail = runEventDetailSchema.parse(JSON.parse(entry.Detail));
    expect(entry.DetailType).toBe(detail.status === 'completed' ? 'Number Audit Completed' : 'Number Audit Incomplete');
    expect(detail).toMatchObject({
      status: 'completed',
      runId: 'req-1',
      scheduledTime: '2026-11-30T03:30:00.000Z',
      workspace: 'Acme prod',
      total: 80,
      archive: null,
    });
    // The simulator holds no calls: every active number older than the window is idle, and counted.
    if (detail.status !== 'failed') expect(detail.idleCount).toBeGreaterThan(0);
    if (summary.status !== 'duplicate' && detail.status !== 'failed')
      expect(detail.unroutedCount).toBe(summary.unroutedCount);
    for (const n of sim.inventory()) expect(entry.Detail).not.toContain(n.phone_number.replace(/\D/g, '').slice(-7));
    expect(emitted('EventPublishFailures')).toEqual([0]);
  });

  it.each([
    ['refuses the entry', 'refuse' as const, /InternalFailure: stand-in told to refuse/],
    ['fails the call', 'error' as const, /stand-in told to fail/],
  ])('a bus that %s: the run still sends, the failure is logged and counted', async (_what, mode, reason) => {
    events.mode = mode;
    const summary = await handler({}, context());
    expect(summary.status).toBe('sent');
    expect(events.entries.length).toBeGreaterThanOrEqual(1);
    const warning = output.text
      .split('\n')
      .filter((l) => l.includes('run event not published'))
      .map((l) => JSON.parse(l) as Record<string, string>);
    expect(warning).toHaveLength(1);
    expect(warning[0]).toMatchObject({ level: 'WARN', detailType: expect.stringMatching(/^Number Audit /) });
    expect(warning[0].errorMessage).toMatch(reason);
    expect(emitted('EventPublishFailures')).toEqual([1]);
  });

  it('a dry run publishes nothing', async () => {
    const summary = await handler({ dryRun: true }, context());
    expect(summary.status).toBe('dry-run');
    expect(events.entries).toEqual([]);
  });

  it('a failed run publishes "Number Audit Failed" with the error class and code only, then fails', async () => {
    await expect(handler({ dryrun: true }, context())).rejects.toThrow(/event\.dryrun/);
    expect(events.entries).toHaveLength(1);
    const [entry] = events.entries;
    expect(entry.DetailType).toBe('Number Audit Failed');
    expect(runEventDetailSchema.parse(JSON.parse(entry.Detail))).toEqual({
      schemaVersion: 1,
      status: 'failed',
      runId: `req-${requests}`,
      scheduledTime: null,
      errorType: 'ConfigError',
      errorCode: expect.any(String),
    });
    expect(entry.Detail).not.toContain('dryrun');
  });
});
