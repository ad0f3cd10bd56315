// Context validation: defaults, the shapes `-c` and cdk.json produce, and one failure per key that
// names the key.
import * as flags from 'aws-cdk-lib/recommended-feature-flags.json';
import { DEFAULTS, parseConfig, parseCron, RETENTION_DAYS, CONTEXT_KEYS } from '../../lib/config';
import { cdkJsonContext, REQUIRED_CONTEXT, ROOT } from './helpers';
import * as fs from 'node:fs';
import * as path from 'node:path';

const base = { recipients: 'ops@example.com', sender: 'audit@example.com' };

describe('parseConfig', () => {
  it('fills every optional key from the defaults', () => {
    expect(parseConfig(base)).toEqual({
      stackName: 'NumberAudit',
      recipients: ['ops@example.com'],
      sender: 'audit@example.com',
      replyTo: undefined,
      secret: { kind: 'name', name: 'number-audit/dialnexa' },
      secretField: 'apiKey',
      secretKmsKeyArn: undefined,
      schedule: { minute: '0', hour: '9', day: '?', month: '*', weekDay: 'MON', year: '*' },
      timeZone: 'UTC',
      alarmEmail: undefined,
      sesConfigurationSet: undefined,
      logRetentionDays: 90,
      functionTimeoutSeconds: 300,
      runDeadlineMarginSeconds: 30,
      memorySize: 512,
      workspaceName: 'DialNexa workspace',
      baseUrl: 'https://api.dialnexa.com',
      bundleAwsSdk: true,
    });
  });

  it('reads -c strings and cdk.json JSON values alike', () => {
    const fromCli = parseConfig({ ...base, recipients: ' a@x.com, b@y.com ', memorySize: '1024', bundleAwsSdk: 'false', logRetentionDays: '30' });
    const fromJson = parseConfig({ ...base, recipients: ['a@x.com', 'b@y.com'], memorySize: 1024, bundleAwsSdk: false, logRetentionDays: 30 });
    expect(fromCli).toEqual(fromJson);
    expect(fromCli.recipients).toEqual(['a@x.com', 'b@y.com']);
    expect(fromCli.bundleAwsSdk).toBe(false);
  });

  it('treats an empty -c value as not given', () => {
    expect(parseConfig({ ...base, alarmEmail: '', timeZone: ' ' })).toMatchObject({ alarmEmail: undefined, timeZone: 'UTC' });
  });

  it('tells a complete secret ARN from a partial one', () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/dialnexa';
    expect(parseConfig({ ...base, secret: `${arn}-a1B2c3` }).secret).toEqual({ kind: 'arn', arn: `${arn}-a1B2c3`, complete: true });
    expect(parseConfig({ ...base, secret: arn }).secret).toEqual({ kind: 'arn', arn, complete: false });
  });

  it.each([
    ['recipients', undefined, /^recipients: is required/],
    ['recipients', '', /^recipients: is required/],
    ['recipients', 'ops@example.com, not-an-address', /^recipients: "not-an-address" is not an email address/],
    ['recipients', Array.from({ length: 51 }, (_, i) => `r${i}@example.com`).join(','), /^recipients: has 51 addresses; at most 50/],
    ['recipients', 42, /^recipients: must be a comma-separated string or an array/],
    ['sender', undefined, /^sender: is required/],
    ['sender', 'Audit <audit@example.com>', /^sender: .* is not an email address/],
    ['replyTo', 'nobody', /^replyTo: "nobody" is not an email address/],
    ['secret', 'has spaces in it', /^secret: .* is not a secret name/],
    ['secret', 'arn:aws:s3:::bucket', /^secret: .* is not a Secrets Manager secret ARN/],
    ['secretField', 'api key', /^secretField: .* is not a JSON field name/],
    ['secretKmsKeyArn', 'alias/aws/secretsmanager', /^secretKmsKeyArn: .* is not a KMS key ARN/],
    ['schedule', 'rate(7 days)', /^schedule: .* is not an AWS cron expression/],
    ['schedule', 'cron(0 9 * * MON *)', /^schedule: exactly one of day-of-month \("\*"\) and day-of-week \("MON"\) must be "\?"/],
    ['schedule', 'cron(0 25 ? * MON *)', /^schedule: hours field "25": "25" is not a valid hours \(0-23\)/],
    ['schedule', 'cron(0 9 ? * FUNDAY *)', /^schedule: day-of-week field "FUNDAY"/],
    ['schedule', 'cron(0 9 ? * MON)', /^schedule: .* is not an AWS cron expression with 6 fields/],
    ['timeZone', 'Mars/Olympus_Mons', /^timeZone: "Mars\/Olympus_Mons" is not an IANA time zone/],
    ['alarmEmail', 'oncall', /^alarmEmail: "oncall" is not an email address/],
    ['sesConfigurationSet', 'has space', /^sesConfigurationSet: .* is not an SES configuration set name/],
    ['logRetentionDays', '45', /^logRetentionDays: 45 is not a CloudWatch Logs retention period; use one of 1, 3, 5, 7, 14, 30, 60, 90/],
    ['logRetentionDays', '9999', /^logRetentionDays: must be a whole number from 1 to 3653/],
    ['functionTimeoutSeconds', '30', /^functionTimeoutSeconds: must be a whole number from 60 to 900/],
    ['functionTimeoutSeconds', '901', /^functionTimeoutSeconds: must be a whole number from 60 to 900/],
    ['functionTimeoutSeconds', '5 min', /^functionTimeoutSeconds: must be a whole number/],
    ['runDeadlineMarginSeconds', '0', /^runDeadlineMarginSeconds: must be a whole number from 5 to 300/],
    ['memorySize', '64', /^memorySize: must be a whole number from 128 to 10240/],
    ['workspaceName', 'two\nlines', /^workspaceName: must be 1-100 printable characters/],
    ['baseUrl', 'http://api.dialnexa.com', /^baseUrl: must be an https:\/\/ URL/],
    ['baseUrl', 'not a url', /^baseUrl: "not a url" is not a URL/],
    ['bundleAwsSdk', 'maybe', /^bundleAwsSdk: must be true or false/],
    ['stackName', '1-audit', /^stackName: "1-audit" is not a CloudFormation stack name/],
  ])('%s = %j fails naming the key', (key, value, message) => {
    expect(() => parseConfig({ ...base, [key]: value })).toThrow(message);
  });

  it('demands a timeout that leaves work time after the deadline margin', () => {
    expect(() => parseConfig({ ...base, functionTimeoutSeconds: 60, runDeadlineMarginSeconds: 45 })).toThrow(
      /^functionTimeoutSeconds: must be at least runDeadlineMarginSeconds \(45\) \+ 30 s of work = 75 \(got 60\)/,
    );
    expect(parseConfig({ ...base, functionTimeoutSeconds: 75, runDeadlineMarginSeconds: 45 }).functionTimeoutSeconds).toBe(75);
  });
});

describe('parseCron', () => {
  it.each([
    ['cron(0 9 ? * MON *)', { minute: '0', hour: '9', day: '?', month: '*', weekDay: 'MON', year: '*' }],
    ['30 7 ? * mon-fri *', { minute: '30', hour: '7', day: '?', month: '*', weekDay: 'MON-FRI', year: '*' }],
    ['cron(0 6 1,15 * ? *)', { minute: '0', hour: '6', day: '1,15', month: '*', weekDay: '?', year: '*' }],
    ['cron(0/15 8-17 ? JAN-MAR 2#1 2026)', { minute: '0/15', hour: '8-17', day: '?', month: 'JAN-MAR', weekDay: '2#1', year: '2026' }],
    ['cron(0 9 L * ? *)', { minute: '0', hour: '9', day: 'L', month: '*', weekDay: '?', year: '*' }],
  ])('%s', (input, fields) => {
    expect(parseCron('schedule', input)).toEqual(fields);
  });
});

describe('cdk.json', () => {
  const context = cdkJsonContext();

  it('holds the defaults, and they parse', () => {
    for (const [key, value] of Object.entries(DEFAULTS)) expect([key, context[key]]).toEqual([key, value]);
    expect(() => parseConfig({ ...context, ...REQUIRED_CONTEXT })).not.toThrow();
  });

  it('has no key the stack does not read, other than feature flags and CLI settings', () => {
    const ours = Object.keys(context).filter((k) => !k.startsWith('@aws-cdk') && k !== 'cli-telemetry');
    expect(ours.filter((k) => !(CONTEXT_KEYS as readonly string[]).includes(k))).toEqual([]);
  });

  it("sets every feature flag aws-cdk-lib recommends, to the recommended value (synth prints no flag warnings)", () => {
    const recommended = Object.fromEntries(Object.entries(flags).filter(([k]) => k !== 'default'));
    expect(Object.keys(recommended).length).toBeGreaterThan(50);
    expect(context).toMatchObject(recommended);
  });

  it('keeps the CLI offline and quiet', () => {
    const cdkJson = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8'));
    expect(cdkJson.notices).toBe(false);
    expect(cdkJson.context['cli-telemetry']).toBe(false);
    expect(cdkJson.app).toBe('npx tsx bin/app.ts');
  });
});

it('only CloudWatch retention periods are accepted', () => {
  expect(RETENTION_DAYS).toContain(90);
  expect(RETENTION_DAYS).not.toContain(9999);
});
