// The optional settings, each visible in the template. One app, two stacks: one with every option
// set (and a complete secret ARN), one given a partial secret ARN.
import { Template } from 'aws-cdk-lib/assertions';
import { readConfig } from '../../lib/config';
import { NumberAuditStack } from '../../lib/number-audit-stack';
import { buildApp, flat, logicalId, roleStatements } from './helpers';

const FULL_ARN = 'arn:aws:secretsmanager:ap-south-1:123456789012:secret:prod/dialnexa-Ab12Cd';
const PARTIAL_ARN = 'arn:aws:secretsmanager:ap-south-1:123456789012:secret:prod/dialnexa';
const KMS_KEY = 'arn:aws:kms:ap-south-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

let full: NumberAuditStack;
let partial: NumberAuditStack;
let t: Template;
let tPartial: Template;

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
  });
  const config = readConfig(app);
  full = new NumberAuditStack(app, config.stackName, { config, env: { account: '123456789012', region: 'ap-south-1' } });
  partial = new NumberAuditStack(app, 'PartialArn', { config: { ...config, secret: { kind: 'arn', arn: PARTIAL_ARN, complete: false }, secretKmsKeyArn: undefined } });
  t = Template.fromStack(full);
  tPartial = Template.fromStack(partial);
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
  expect(statements).toContainEqual({ Sid: 'ReadDialNexaKey', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: FULL_ARN });
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
    Condition: { StringEquals: { 'ses:FromAddress': 'reports@example.in' } },
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
  expect(names).toHaveLength(4);
  for (const n of names) expect(n).toMatch(/^AuditIndia-/);
  const [policy] = Object.values(t.findResources('AWS::SNS::TopicPolicy'));
  const allow = (flat(policy.Properties.PolicyDocument.Statement) as Array<{ Sid: string; Condition: { ArnLike: Record<string, string> } }>)
    .find((s) => s.Sid === 'AllowThisStacksAlarms');
  expect(allow?.Condition.ArnLike['aws:SourceArn']).toBe('arn:aws:cloudwatch:ap-south-1:123456789012:alarm:AuditIndia-*');
});

it('refuses a secret ARN from another region than the stack', () => {
  const app = buildApp({ secret: FULL_ARN });
  expect(() => new NumberAuditStack(app, 'WrongRegion', { config: readConfig(app), env: { account: '123456789012', region: 'eu-west-1' } }))
    .toThrow(/^secret: is in ap-south-1 but the stack deploys to eu-west-1/);
});
