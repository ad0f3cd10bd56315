// The optional settings, each visible in the template. Three stacks: one with every single-secret
// option set (and a complete secret ARN), one given a partial secret ARN, and one for an agency with
// two workspaces, a rate card and its own findings settings.
import { Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { readHandlerConfig } from '../../lambda/handler/config';
import { parseConfig, readConfig } from '../../lib/config';
import { checkEnvironmentSize, functionEnvironment } from '../../lib/function-environment';
import { NumberAuditStack } from '../../lib/number-audit-stack';
import { buildApp, flat, logicalId, REQUIRED_CONTEXT, roleStatements } from './helpers';

const FULL_ARN = 'arn:aws:secretsmanager:ap-south-1:123456789012:secret:prod/dialnexa-Ab12Cd';
const PARTIAL_ARN = 'arn:aws:secretsmanager:ap-south-1:123456789012:secret:prod/dialnexa';
const KMS_KEY = 'arn:aws:kms:ap-south-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

let full: NumberAuditStack;
let partial: NumberAuditStack;
let agency: NumberAuditStack;
let t: Template;
let tPartial: Template;
let tAgency: Template;

const ENV = { account: '123456789012', region: 'ap-south-1' };
const GLOBEX_ARN = 'arn:aws:secretsmanager:ap-south-1:123456789012:secret:globex/dialnexa-Zz98Yx';
const GLOBEX_KMS = 'arn:aws:kms:ap-south-1:123456789012:key/9999abcd-12ab-34cd-56ef-1234567890ab';
const WORKSPACES = [
  { name: 'Acme prod', secretId: 'acme/dialnexa' },
  { name: 'Globex', secretId: GLOBEX_ARN, secretField: 'key', secretKmsKeyArn: GLOBEX_KMS },
];
const RATE_CARD = { rates: { IN: { local: 0.5, mobile: 0.75 }, US: { '*': 1.15 }, '*': { '*': 3 } } };

beforeAll(() => {
  const app = buildApp({
    stackName: 'AuditIndia',
    recipients: ['noc@example.in', 'cfo@example.in'],
    sender: 'reports@example.in',
    replyTo: 'noc@example.in',
    secret: FULL_ARN,
    secretField: 'key',
    secretKmsKeyArn: KMS_KEY,
    schedule: 'cron(30 8 1 * ? *)',
    timeZone: 'Asia/Kolkata',
    alarmEmail: 'oncall@example.in',
    sesConfigurationSet: 'audit-tracking',
    logRetentionDays: '365',
    functionTimeoutSeconds: '600',
    runDeadlineMarginSeconds: '45',
    memorySize: '1024',
    workspaceName: 'India ops',
    baseUrl: 'https://eu.api.dialnexa.com/',
    allowedRecipientDomains: 'Example.in, partner.example.com',
  });
  const config = readConfig(app);
  full = new NumberAuditStack(app, config.stackName, { config, env: ENV });
  partial = new NumberAuditStack(app, 'PartialArn', {
    config: { ...config, secret: { kind: 'arn', arn: PARTIAL_ARN, complete: false }, secretKmsKeyArn: undefined },
  });
  t = Template.fromStack(full);
  tPartial = Template.fromStack(partial);

  const agencyApp = buildApp({
    stackName: 'Agency',
    secretKmsKeyArn: KMS_KEY,
    workspaces: JSON.stringify(WORKSPACES),
    rateCard: JSON.stringify(RATE_CARD),
    actionTriggers: 'unrouted,failedWorkspaces',
    checkAgents: 'false',
    historyRetentionDays: '730',
    functionTimeoutSeconds: '900',
  });
  const agencyConfig = readConfig(agencyApp);
  agency = new NumberAuditStack(agencyApp, agencyConfig.stackName, { config: agencyConfig, env: ENV });
  tAgency = Template.fromStack(agency);
});

it('schedules in the given time zone with the given cron fields', () => {
  t.hasResourceProperties('AWS::Scheduler::Schedule', {
    ScheduleExpression: 'cron(30 8 1 * ? *)',
    ScheduleExpressionTimezone: 'Asia/Kolkata',
    FlexibleTimeWindow: { Mode: 'OFF' },
  });
});

it('sizes the function and its logs from context', () => {
  t.hasResourceProperties('AWS::Lambda::Function', { MemorySize: 1024, Timeout: 600 });
  t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
});

it('passes every optional setting to the function', () => {
  const [fn] = Object.values(t.findResources('AWS::Lambda::Function'));
  expect(fn.Properties.Environment.Variables).toMatchObject({
    DIALNEXA_SECRET_ID: FULL_ARN,
    DIALNEXA_SECRET_FIELD: 'key',
    DIALNEXA_BASE_URL: 'https://eu.api.dialnexa.com',
    REPORT_RECIPIENTS: 'noc@example.in,cfo@example.in',
    REPORT_SENDER: 'reports@example.in',
    REPORT_REPLY_TO: 'noc@example.in',
    SES_CONFIGURATION_SET: 'audit-tracking',
    REPORT_TIME_ZONE: 'Asia/Kolkata',
    WORKSPACE_NAME: 'India ops',
    RUN_DEADLINE_MARGIN_MS: '45000',
  });
});

it('grants the complete secret ARN as is, its KMS key via Secrets Manager only, and the configuration set', () => {
  const statements = roleStatements(t, logicalId(full.fn.role!));
  expect(statements).toContainEqual({
    Sid: 'ReadDialNexaKey',
    Effect: 'Allow',
    Action: 'secretsmanager:GetSecretValue',
    Resource: FULL_ARN,
  });
  expect(statements).toContainEqual({
    Sid: 'DecryptDialNexaKey',
    Effect: 'Allow',
    Action: 'kms:Decrypt',
    Resource: KMS_KEY,
    Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.ap-south-1.amazonaws.com' } },
  });
  expect(statements).toContainEqual({
    Sid: 'SendReportEmail',
    Effect: 'Allow',
    Action: 'ses:SendRawEmail',
    // Sorted by the minimizePolicies feature flag.
    Resource: [
      'arn:aws:ses:ap-south-1:123456789012:configuration-set/audit-tracking',
      'arn:aws:ses:ap-south-1:123456789012:identity/example.in',
      'arn:aws:ses:ap-south-1:123456789012:identity/reports@example.in',
    ],
    Condition: {
      StringEquals: { 'ses:FromAddress': 'reports@example.in' },
      'ForAllValues:StringLike': { 'ses:Recipients': ['*@example.in', '*@partner.example.com'] },
      Null: { 'ses:Recipients': 'false' },
    },
  });
});

describe('allowed recipient domains', () => {
  it('reach the function as the allowlist its console events are held to', () => {
    const [fn] = Object.values(t.findResources('AWS::Lambda::Function'));
    expect(fn.Properties.Environment.Variables.ALLOWED_RECIPIENT_DOMAINS).toBe('example.in,partner.example.com');
    const config = readHandlerConfig({ ...fn.Properties.Environment.Variables, ARCHIVE_BUCKET: 'b-u-c' });
    expect(config.allowedRecipientDomains).toEqual(['example.in', 'partner.example.com']);
  });

  it('default to the domains of the recipients, on the function and in the SES policy alike', () => {
    const [fn] = Object.values(tAgency.findResources('AWS::Lambda::Function'));
    expect(fn.Properties.Environment.Variables.ALLOWED_RECIPIENT_DOMAINS).toBe('example.com');
  });

  it('must include the domain of every configured recipient, or synth fails naming the key', () => {
    expect(() => parseConfig({ ...REQUIRED_CONTEXT, allowedRecipientDomains: 'reports.example.com' })).toThrow(
      /^allowedRecipientDomains: does not include example\.com, the domain of recipient ops@example\.com; add it, or change recipients$/,
    );
    expect(() => parseConfig({ ...REQUIRED_CONTEXT, allowedRecipientDomains: ['example.com', 'bad domain'] })).toThrow(
      /^allowedRecipientDomains: "bad domain" is not a domain/,
    );
  });
});

it('a partial secret ARN gets the 6-character suffix pattern, and no KMS grant without a key', () => {
  const statements = roleStatements(tPartial, logicalId(partial.fn.role!));
  expect(statements).toContainEqual({
    Sid: 'ReadDialNexaKey',
    Effect: 'Allow',
    Action: 'secretsmanager:GetSecretValue',
    Resource: `${PARTIAL_ARN}-??????`,
  });
  expect(JSON.stringify(statements)).not.toContain('kms:');
});

it('subscribes the alarm email to the topic', () => {
  t.hasResourceProperties('AWS::SNS::Subscription', {
    Protocol: 'email',
    Endpoint: 'oncall@example.in',
    TopicArn: { Ref: logicalId(full.alarmTopic) },
  });
});

it('names the alarms after the stack, and admits exactly those to the topic', () => {
  const names = Object.values(t.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties.AlarmName);
  // No ReportBounced: the operator's own configuration set (sesConfigurationSet) has its own destinations.
  expect(names).toHaveLength(8);
  for (const n of names) expect(n).toMatch(/^AuditIndia-/);
  const [policy] = Object.values(t.findResources('AWS::SNS::TopicPolicy'));
  const allow = (
    flat(policy.Properties.PolicyDocument.Statement) as Array<{
      Sid: string;
      Condition: { ArnEquals: Record<string, string[]> };
    }>
  ).find((s) => s.Sid === 'AllowThisStacksAlarms');
  expect([...(allow?.Condition.ArnEquals['aws:SourceArn'] ?? [])].sort()).toEqual(
    names.map((n) => `arn:aws:cloudwatch:ap-south-1:123456789012:alarm:${n}`).sort(),
  );
});

it('refuses a secret ARN from another region than the stack', () => {
  const app = buildApp({ secret: FULL_ARN });
  expect(
    () =>
      new NumberAuditStack(app, 'WrongRegion', {
        config: readConfig(app),
        env: { account: '123456789012', region: 'eu-west-1' },
      }),
  ).toThrow(/^secret: is in ap-south-1 but the stack deploys to eu-west-1/);
});

it('refuses a KMS key from another region than the stack', () => {
  const app = buildApp({ secretKmsKeyArn: KMS_KEY });
  expect(
    () =>
      new NumberAuditStack(app, 'WrongKeyRegion', {
        config: readConfig(app),
        env: { account: '123456789012', region: 'eu-west-1' },
      }),
  ).toThrow(/^secretKmsKeyArn: is in ap-south-1 but the stack deploys to eu-west-1/);
});

describe('several workspaces', () => {
  it('gives the function the workspace list instead of one secret, and no key value', () => {
    const [fn] = Object.values(tAgency.findResources('AWS::Lambda::Function'));
    const env = fn.Properties.Environment.Variables as Record<string, unknown>;
    expect(env.DIALNEXA_SECRET_ID).toBeUndefined();
    expect(env.WORKSPACE_NAME).toBeUndefined();
    // Exactly the handler's WORKSPACES shape: KMS keys are IAM's business, not the function's.
    expect(JSON.parse(env.WORKSPACES as string)).toEqual([
      { name: 'Acme prod', secretId: 'acme/dialnexa' },
      { name: 'Globex', secretId: GLOBEX_ARN, secretField: 'key' },
    ]);
    expect(env.DIALNEXA_SECRET_FIELD).toBe('apiKey');
    expect(fn.Properties.Description).toBe('Weekly DialNexa number audit for 2 workspaces');
  });

  it('grants GetSecretValue on exactly the two secrets, and Decrypt on both keys via Secrets Manager', () => {
    const statements = roleStatements(tAgency, logicalId(agency.fn.role!));
    expect(statements).toContainEqual({
      Sid: 'ReadDialNexaKey',
      Effect: 'Allow',
      Action: 'secretsmanager:GetSecretValue',
      Resource: ['arn:aws:secretsmanager:ap-south-1:123456789012:secret:acme/dialnexa-??????', GLOBEX_ARN],
    });
    expect(statements).toContainEqual({
      Sid: 'DecryptDialNexaKey',
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: [KMS_KEY, GLOBEX_KMS],
      Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.ap-south-1.amazonaws.com' } },
    });
    const secretStatements = (statements as Array<{ Action: string | string[] }>).filter((st) =>
      [st.Action].flat().some((a) => /^(secretsmanager|kms):/.test(a)),
    );
    expect(secretStatements).toHaveLength(2);
  });

  it('single-secret stack: an environment the handler reads back as the same settings', () => {
    const [fn] = Object.values(t.findResources('AWS::Lambda::Function'));
    const config = readHandlerConfig({
      ...fn.Properties.Environment.Variables,
      ARCHIVE_BUCKET: 'india-history-bucket',
    });
    expect(config).toMatchObject({
      workspaces: [{ name: 'India ops', secretId: FULL_ARN, secretField: 'key', setting: 'DIALNEXA_SECRET_ID' }],
      baseUrl: 'https://eu.api.dialnexa.com',
      recipients: expect.any(Array),
      sender: 'reports@example.in',
      replyTo: ['noc@example.in'],
      configurationSetName: 'audit-tracking',
      timeZone: 'Asia/Kolkata',
      deadlineMarginMs: 45_000,
      idempotencyLeaseMs: 165_000,
    });
  });

  it('passes the rate card, the triggers, checkAgents and a lease of the deadline margin + 120 s', () => {
    const [fn] = Object.values(tAgency.findResources('AWS::Lambda::Function'));
    expect(fn.Properties.Environment.Variables).toMatchObject({
      ACTION_TRIGGERS: 'unrouted,failedWorkspaces',
      CHECK_AGENTS: 'false',
      IDEMPOTENCY_LEASE_SECONDS: '180',
      ARCHIVE_BUCKET: { Ref: logicalId(agency.historyBucket) },
    });
    expect(JSON.parse(fn.Properties.Environment.Variables.RATE_CARD)).toEqual({ currency: 'USD', ...RATE_CARD });
  });

  it('is an environment the handler reads back as the same settings', () => {
    const [fn] = Object.values(tAgency.findResources('AWS::Lambda::Function'));
    const config = readHandlerConfig({
      ...fn.Properties.Environment.Variables,
      ARCHIVE_BUCKET: 'agency-history-bucket',
    });
    expect(config).toMatchObject({
      idempotencyLeaseMs: 180_000,
      workspaces: [
        { name: 'Acme prod', secretId: 'acme/dialnexa', secretField: 'apiKey' },
        { name: 'Globex', secretId: GLOBEX_ARN, secretField: 'key' },
      ],
      archiveBucket: 'agency-history-bucket',
      rateCard: { currency: 'USD', rates: RATE_CARD.rates },
      triggers: {
        unrouted: true,
        missingAgents: false,
        removedNumbers: false,
        failedWorkspaces: true,
        unreconciled: false,
      },
      checkAgents: false,
    });
  });

  it('keeps run folders historyRetentionDays days', () => {
    tAgency.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: [
          { Id: 'ExpireRunHistory', Prefix: 'reports/', ExpirationInDays: 730, Status: 'Enabled' },
          { Id: 'ExpireIdempotencyClaims', ExpirationInDays: 30 },
        ],
      },
    });
  });

  it('refuses a workspace secret from another region than the stack', () => {
    const app = buildApp({ workspaces: [{ name: 'Acme', secretId: GLOBEX_ARN }] });
    expect(
      () =>
        new NumberAuditStack(app, 'WrongRegion', {
          config: readConfig(app),
          env: { account: '123456789012', region: 'eu-west-1' },
        }),
    ).toThrow(/^workspaces: entry 1 \("Acme"\): secretId is in ap-south-1 but the stack deploys to eu-west-1/);
  });
});

describe("Lambda's 4 KB environment limit", () => {
  /** A rate card of `countries` rows (AA, AB, ...). */
  const card = (countries: number) => ({
    rates: Object.fromEntries(
      Array.from({ length: countries }, (_, i) => [
        String.fromCharCode(65 + Math.floor(i / 26), 65 + (i % 26)),
        { local: 1.25 },
      ]),
    ),
  });
  const envFor = (context: Record<string, unknown>) => ({
    ...functionEnvironment(parseConfig({ ...REQUIRED_CONTEXT, ...context }), Token.asString({ Ref: 'HistoryBucket' })),
    NODE_OPTIONS: '--enable-source-maps',
  });

  it('measures the JSON of all variables, counting the unknown bucket name at its longest (63)', () => {
    const env = envFor({});
    const known = Object.fromEntries(
      Object.entries(env).map(([k, v]) => [k, k === 'ARCHIVE_BUCKET' ? 'b'.repeat(63) : v]),
    );
    expect(checkEnvironmentSize(env)).toBe(JSON.stringify(known).length);
  });

  it('4096 bytes pass; 4097 fail, naming the context key behind the biggest variable', () => {
    // {"RATE_CARD":"<n bytes>"} is 16 + n bytes.
    expect(checkEnvironmentSize({ RATE_CARD: 'x'.repeat(4080) })).toBe(4096);
    expect(() => checkEnvironmentSize({ RATE_CARD: 'x'.repeat(4081) })).toThrow(
      /^rateCard: makes the function's environment 4097 bytes, over Lambda's limit of 4096 bytes for all variables together \(RATE_CARD takes 4095\); fold countries that share a price into a "\*" row$/,
    );
    expect(() => checkEnvironmentSize({ RATE_CARD: 'x'.repeat(2000), REPORT_RECIPIENTS: 'y'.repeat(2100) })).toThrow(
      /^recipients: .*\(REPORT_RECIPIENTS takes 2122\); send to a distribution list/,
    );
  });

  it('twenty long workspace entries fail naming workspaces', () => {
    const workspaces = Array.from({ length: 20 }, (_, i) => ({
      name: `Client ${i} ${'with a rather long display name '.repeat(2)}`.trim(),
      secretId: `arn:aws:secretsmanager:ap-south-1:123456789012:secret:clients/${i}/dialnexa-Ab12Cd`,
    }));
    expect(() => checkEnvironmentSize(envFor({ workspaces }))).toThrow(
      /^workspaces: makes the function's environment \d+ bytes, over Lambda's limit .*\(WORKSPACES takes \d+\); use secret names/,
    );
  });

  it('the stack refuses to build with an oversized rate card', () => {
    const app = buildApp({ rateCard: card(200) });
    expect(() => new NumberAuditStack(app, 'TooBig', { config: readConfig(app) })).toThrow(
      /^rateCard: makes the function's environment \d+ bytes/,
    );
  });
});
