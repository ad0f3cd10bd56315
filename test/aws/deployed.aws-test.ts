// Proven as deployed: the synthesized template goes into moto (an emulated AWS account) through the
// CloudFormation API; the function's configuration is read back from moto's Lambda API; the bundled
// index.js runs in a Node of the deployed runtime's major with exactly that environment, pointed at
// moto (through a recording proxy) and the DialNexa simulator. What a first real run must leave
// behind is read back from moto; every AWS call it made is evaluated against the template's policies.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DeleteIdentityCommand, SESClient, VerifyEmailIdentityCommand } from '@aws-sdk/client-ses';
import { simpleParser, type ParsedMail } from 'mailparser';
import {
  createdAndSkipped,
  deployAssembly,
  type Deployed,
  EMULATED_ACCOUNT,
  emulatorClientConfig,
} from '../../scripts/aws/deploy';
import { evaluate, functionPermissions, type Permissions, stackNames } from '../../scripts/aws/iam-evaluate';
import { type Moto, startMoto } from '../../scripts/aws/moto';
import { lambdaNodeMajor, nodeBinary } from '../../scripts/aws/node-runtime';
import { type RecordingProxy, startRecordingProxy } from '../../scripts/aws/recording-proxy';
import { type BundleInvocation, type InvokeResult, runBundle } from '../../scripts/support/run-bundle';
import { generateAgents, generatePortfolio, type Simulator, startSimulator } from '../../simulator';
import { assembly, RECIPIENTS, SENDER } from './assembly';
import { callsToRequests, neverCalls } from './function-calls';

const built = assembly();
const { template } = built;
const [fnResource] = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
const node = nodeBinary(lambdaNodeMajor(String(fnResource.Properties?.Runtime)));
if (node.path === undefined) {
  const why = `the real-bundle tests need Node for ${fnResource.Properties?.Runtime}: ${node.reason}`;
  // CI must prove the bundle on the runtime it deploys to; only a developer's machine may skip it.
  if (process.env.CI) throw new Error(`${why} (CI is set, so this is a failure, not a skip)`);
  console.warn(`SKIPPED: ${why}`);
}
const describeBundle = node.path ? describe : describe.skip;

const SCHEDULED_TIME = '2026-11-30T03:30:00Z';
const REFUSED_TIME = '2026-12-07T03:30:00Z';
const PORTFOLIO_SIZE = 120;

/** The handler's return value, as far as these tests read it. */
interface Summary {
  status: string;
  total: number;
  messageId?: string;
  runId: string;
  complete: boolean;
}
type Invocation = InvokeResult<Summary>;

let moto: Moto;
let sesMoto: Moto;
let proxy: RecordingProxy;
let deployed: Deployed;

beforeAll(async () => {
  // SES on a server of its own: moto's /moto-api/data.json (where sent mail can be read back)
  // answers 500 on a server that has ever held a Lambda function.
  // One after the other, so that afterAll stops whichever did start.
  moto = await startMoto();
  sesMoto = await startMoto();
  proxy = await startRecordingProxy((service) => (service === 'ses' ? sesMoto.endpoint : moto.endpoint));
  deployed = await deployAssembly(moto.endpoint, built);
}, 60_000);

afterAll(async () => {
  await Promise.all([moto?.close(), sesMoto?.close(), proxy?.close()]);
});

describe('the template in the emulated account', () => {
  it('reaches CREATE_COMPLETE; which resources the emulator created and which it skipped', () => {
    const { rows, text } = createdAndSkipped(template, deployed);
    console.log(text);
    // What the function's run depends on must exist, whatever else the emulator leaves out.
    for (const type of ['AWS::S3::Bucket', 'AWS::IAM::Role', 'AWS::IAM::Policy', 'AWS::Lambda::Function'])
      expect(rows.filter((r) => r.type === type && r.created).length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.type === 'AWS::SQS::Queue').every((r) => r.created)).toBe(true);
  });
});

describeBundle(`the deployed function, run under Node ${node.path === undefined ? '(missing)' : node.version}`, () => {
  let sim: Simulator;
  let fnConfig: {
    FunctionName?: string;
    Handler?: string;
    Runtime?: string;
    Environment?: { Variables?: Record<string, string> };
  };
  let bucket: string;
  let permissions: Permissions;
  let first: Invocation[];
  let refused: Invocation[];
  let output = '';
  let retryAttempts: number;
  let ruleQueueUrl: string;
  const s3 = () => new S3Client(emulatorClientConfig(moto.endpoint, built.region));

  async function invoke(invocations: BundleInvocation[]): Promise<Invocation[]> {
    const env = {
      PATH: process.env.PATH ?? '',
      // Exactly what moto says the deployed function has, plus what Lambda itself provides ...
      ...fnConfig.Environment?.Variables,
      AWS_REGION: built.region,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_LAMBDA_FUNCTION_NAME: String(fnConfig.FunctionName),
      // ... and the two redirections: AWS through the recording proxy, DialNexa to the simulator.
      AWS_ENDPOINT_URL: proxy.endpoint,
      DIALNEXA_BASE_URL: sim.url,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    const run = await runBundle<Summary>(
      { codeDir: built.codeDir, handler: String(fnConfig.Handler), env, execPath: node.path },
      invocations,
    );
    output += run.output;
    return run.results;
  }

  beforeAll(async () => {
    const fnId = Object.keys(template.Resources).find((id) => template.Resources[id] === fnResource);
    const physical = deployed.resources.find((r) => r.LogicalResourceId === fnId)?.PhysicalResourceId;
    fnConfig = await new LambdaClient(emulatorClientConfig(moto.endpoint, built.region)).send(
      new GetFunctionConfigurationCommand({ FunctionName: physical }),
    );
    const vars = fnConfig.Environment?.Variables ?? {};
    bucket = vars.ARCHIVE_BUCKET;
    permissions = functionPermissions(
      template,
      stackNames(template, deployed.resources, EMULATED_ACCOUNT, built.region),
    );

    const agents = generateAgents(7, 5);
    sim = await startSimulator({
      numbers: generatePortfolio({
        seed: 7,
        size: PORTFOLIO_SIZE,
        variants: 'mixed',
        agentIds: agents.map((a) => a.id),
      }),
      agents,
    });
    await new SecretsManagerClient(emulatorClientConfig(moto.endpoint, built.region)).send(
      new CreateSecretCommand({
        Name: vars.DIALNEXA_SECRET_ID,
        SecretString: JSON.stringify({ [vars.DIALNEXA_SECRET_FIELD]: sim.apiKey }),
      }),
    );
    const ses = new SESClient(emulatorClientConfig(sesMoto.endpoint, built.region));
    await ses.send(new VerifyEmailIdentityCommand({ EmailAddress: vars.REPORT_SENDER }));

    // The docs' example rule ("action needed -> ..."), with a queue of ours as its target.
    const sqs = new SQSClient(emulatorClientConfig(moto.endpoint, built.region));
    ruleQueueUrl = String((await sqs.send(new CreateQueueCommand({ QueueName: 'action-needed-target' }))).QueueUrl);
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: ruleQueueUrl, AttributeNames: ['QueueArn'] }),
    );
    const bridge = new EventBridgeClient(emulatorClientConfig(moto.endpoint, built.region));
    await bridge.send(
      new PutRuleCommand({
        Name: 'number-audit-action-needed',
        EventPattern: fs.readFileSync(path.join(__dirname, '../../docs/examples/action-needed.pattern.json'), 'utf8'),
      }),
    );
    await bridge.send(
      new PutTargetsCommand({
        Rule: 'number-audit-action-needed',
        Targets: [{ Id: 'queue', Arn: Attributes?.QueueArn }],
      }),
    );

    // What EventBridge Scheduler sends: the target's Input with the context attributes filled in.
    const [schedule] = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Scheduler::Schedule');
    const scheduleEvent = (time: string) =>
      JSON.parse(
        String(schedule.Properties?.Target.Input)
          .replace('<aws.scheduler.scheduled-time>', time)
          .replace(
            '<aws.scheduler.schedule-arn>',
            `arn:aws:scheduler:${built.region}:${EMULATED_ACCOUNT}:schedule/default/NumberAudit-WeeklySchedule`,
          ),
      );
    // Scheduler delivers at least once: the same schedule time again, under a new request id.
    first = await invoke([
      { event: scheduleEvent(SCHEDULED_TIME), requestId: 'first-delivery' },
      { event: scheduleEvent(SCHEDULED_TIME), requestId: 'second-delivery' },
    ]);

    // The sender stops being a verified identity; Lambda runs a failed asynchronous invocation
    // again MaximumRetryAttempts times, under the same request id, then hands it to the on-failure
    // destination.
    await ses.send(new DeleteIdentityCommand({ Identity: vars.REPORT_SENDER }));
    const [invokeConfig] = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::EventInvokeConfig');
    retryAttempts = Number(invokeConfig.Properties?.MaximumRetryAttempts);
    refused = await invoke(
      Array.from({ length: 1 + retryAttempts }, () => ({
        event: scheduleEvent(REFUSED_TIME),
        requestId: 'refused-run',
      })),
    );
  }, 120_000);

  afterAll(async () => {
    await sim?.close();
  });

  /** The messages moto's SES accepted, parsed as a mail client would. */
  async function sentMail(): Promise<Array<{ source: string; destinations: string[]; mail: ParsedMail }>> {
    const data = (await (await fetch(`${sesMoto.endpoint}/moto-api/data.json`)).json()) as {
      ses: { RawMessage: Array<{ source: string; destinations: string[]; raw_data: string }> };
    };
    return Promise.all(
      data.ses.RawMessage.map(async (m) => ({
        source: m.source,
        // moto lists each recipient twice (the Destinations parameter and the To header).
        destinations: [...new Set(m.destinations)],
        mail: await simpleParser(m.raw_data),
      })),
    );
  }

  async function bucketKeys(): Promise<string[]> {
    const out = await s3().send(new ListObjectsV2Command({ Bucket: bucket }));
    return (out.Contents ?? []).map((o) => String(o.Key)).sort();
  }

  async function readObject(key: string): Promise<string> {
    const out = await s3().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return (await out.Body?.transformToString('utf-8')) ?? '';
  }

  const value = (r: Invocation) => {
    if (!r.ok) throw new Error(`the invocation failed: ${r.name}: ${r.message}\n${r.stack}\n${output}`);
    return r.value as Summary;
  };

  it('moto holds the function as the template describes it: handler, runtime, environment', () => {
    expect(fnConfig.Handler).toBe(fnResource.Properties?.Handler);
    expect(fnConfig.Runtime).toBe(fnResource.Properties?.Runtime);
    const declared = fnResource.Properties?.Environment.Variables as Record<string, unknown>;
    expect(Object.keys(fnConfig.Environment?.Variables ?? {}).sort()).toEqual(Object.keys(declared).sort());
    // The Ref to the stack's bucket became the bucket moto created.
    expect(fnConfig.Environment?.Variables?.ARCHIVE_BUCKET).toBe(
      deployed.resources.find((r) => r.ResourceType === 'AWS::S3::Bucket')?.PhysicalResourceId,
    );
    // No endpoint override is deployed: the real function talks to AWS's own https endpoints.
    expect(Object.keys(declared).filter((k) => k.startsWith('AWS_ENDPOINT_URL'))).toEqual([]);
  });

  it('the first scheduled run sends one email that SES accepted: subject, parts and CSV', async () => {
    const run = value(first[0]);
    expect(run).toMatchObject({ status: 'sent', total: PORTFOLIO_SIZE, complete: true });
    const sent = await sentMail();
    expect(sent).toHaveLength(1);
    const [{ source, destinations, mail }] = sent;
    expect(source).toBe(SENDER);
    expect(destinations).toEqual(RECIPIENTS);
    expect(mail.from?.text).toContain(SENDER);
    expect(mail.subject).toMatch(new RegExp(`DialNexa numbers: ${PORTFOLIO_SIZE} total, \\d+ unrouted`));
    expect(mail.html).toContain('<table');
    expect(mail.text).toMatch(/unrouted/i);
    expect(mail.attachments).toHaveLength(1);
    const [csv] = mail.attachments;
    expect(csv.filename).toMatch(/\.csv$/);
    const lines = csv.content
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0].split(',').slice(0, 3)).toEqual(['id', 'phone_number', 'country_code']);
    expect(lines).toHaveLength(1 + PORTFOLIO_SIZE);
  });

  it('left the archive under reports/ and latest/, and the idempotency record, in the bucket', async () => {
    const run = value(first[0]);
    const keys = await bucketKeys();
    const runFiles = keys.filter((k) => k.startsWith('reports/'));
    expect(runFiles.map((k) => k.split('/').pop()).sort()).toEqual([
      'audit.json',
      'numbers.csv',
      'report.html',
      'snapshot.json',
      'summary.json',
    ]);
    expect(runFiles.every((k) => k.includes(`/${run.runId}/`))).toBe(true);
    expect(JSON.parse(await readObject('latest/dialnexa-workspace.json'))).toMatchObject({ runId: run.runId });
    const claims = keys.filter((k) => k.startsWith('idempotency/'));
    const records = await Promise.all(claims.map(async (k) => JSON.parse(await readObject(k))));
    // The scheduled run's claim is marked sent (with SES's message id); the refused run's is below.
    expect(records.filter((r) => r.state === 'sent')).toEqual([
      expect.objectContaining({ messageId: run.messageId, attempt: 1 }),
    ]);
  });

  it("the run's event lands on the default bus and the docs' example rule delivers it to its target", async () => {
    const sqs = new SQSClient(emulatorClientConfig(moto.endpoint, built.region));
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: ruleQueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    // The first run (unrouted numbers: action needed); the duplicate and the refused runs match no rule.
    expect(Messages).toHaveLength(1);
    const event = JSON.parse(String(Messages[0].Body));
    expect(event).toMatchObject({
      source: 'number-audit',
      'detail-type': 'Number Audit Completed',
      resources: [expect.stringContaining(':function:')],
      detail: { runId: value(first[0]).runId, actionNeeded: true, triggers: expect.arrayContaining(['unrouted']) },
    });
    expect(event.detail.archive.bucket).toBe(bucket);
    expect(output).not.toContain('run event not published');
  });

  it('a second delivery of the same schedule time sends nothing', async () => {
    expect(value(first[1])).toMatchObject({ status: 'duplicate' });
    expect(await sentMail()).toHaveLength(1);
  });

  it('an unverified sender is refused, every retry fails the same way, and the run ends on the failed-runs path', async () => {
    expect(refused).toHaveLength(1 + retryAttempts);
    for (const r of refused)
      expect(r).toMatchObject({
        ok: false,
        name: 'DeliveryError',
        message: expect.stringContaining(`Verify the sender identity ${SENDER} in SES`),
      });
    expect(await sentMail()).toHaveLength(1);
    expect(output).toContain('"FailedRuns"');
    // Each attempt gave its claim back, so a run by hand (or a redelivery) can still send.
    const claims = (await bucketKeys()).filter((k) => k.startsWith('idempotency/'));
    const records = await Promise.all(claims.map(async (k) => JSON.parse(await readObject(k))));
    expect(records.filter((r) => r.state !== 'sent')).toEqual([
      expect.objectContaining({ state: 'released', attempt: 1 + retryAttempts }),
    ]);
    // After the last retry Lambda sends the event to the on-failure destination with the
    // execution role: that queue exists in the account and the role may send to it.
    const [invokeConfig] = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::EventInvokeConfig');
    const destinationId = invokeConfig.Properties?.DestinationConfig.OnFailure.Destination['Fn::GetAtt'][0];
    const queue = deployed.resources.find((r) => r.LogicalResourceId === destinationId);
    expect(queue?.ResourceType).toBe('AWS::SQS::Queue');
    const queueArn = `arn:aws:sqs:${built.region}:${EMULATED_ACCOUNT}:${queue?.PhysicalResourceId?.split('/').pop()}`;
    expect(
      await evaluate(permissions, {
        action: 'sqs:SendMessage',
        resource: queueArn,
        context: { 'aws:SecureTransport': 'true' },
      }),
    ).toEqual({ result: 'Allowed' });
  });

  it("every AWS call the function made is allowed by the template's policies", async () => {
    const requests = callsToRequests(proxy.calls, { bucket, region: built.region, account: EMULATED_ACCOUNT });
    // Secrets Manager once (cached), SES (identity and configuration set), S3 reads and conditional
    // writes, the run events.
    expect(new Set(requests.map((r) => r.request.action))).toEqual(
      new Set([
        'secretsmanager:GetSecretValue',
        's3:GetObject',
        's3:PutObject',
        's3:ListBucket',
        'ses:SendRawEmail',
        'events:PutEvents',
      ]),
    );
    const denied: string[] = [];
    for (const { call, request } of requests) {
      const decision = await evaluate(permissions, request);
      if (decision.result !== 'Allowed')
        denied.push(`${call}: ${request.action} on ${request.resource} is ${decision.result} ${decision.detail ?? ''}`);
    }
    expect(denied).toEqual([]);
  });

  it('every call on the never-list is denied', async () => {
    const vars = fnConfig.Environment?.Variables ?? {};
    const wrong: string[] = [];
    for (const never of neverCalls(template, deployed.resources, {
      bucket,
      region: built.region,
      account: EMULATED_ACCOUNT,
      sender: vars.REPORT_SENDER,
      secretName: vars.DIALNEXA_SECRET_ID,
    })) {
      const decision = await evaluate(permissions, never.request);
      if (decision.result !== never.denied)
        wrong.push(
          `${never.what} (${never.why}): ${never.request.action} on ${never.request.resource} is ${decision.result}, ` +
            `expected ${never.denied} ${decision.detail ?? ''}`,
        );
    }
    expect(wrong).toEqual([]);
  });

  it('never writes the API key to its output', () => {
    expect(output).toContain('audit finished');
    expect(output).not.toContain(sim.apiKey);
  });
});
