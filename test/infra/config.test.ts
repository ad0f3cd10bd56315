// Context validation: defaults, the shapes `-c` and cdk.json produce, and one failure per key that
// names the key.
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import * as flags from 'aws-cdk-lib/recommended-feature-flags.json';
import { ConfigError } from '../../lambda/core/errors';
import { ConfigProblems, DEFAULTS, parseConfig, parseCron, RETENTION_DAYS, CONTEXT_KEYS } from '../../lib/config';
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
      functionTimeoutSeconds: 900,
      runDeadlineMarginSeconds: 60,
      memorySize: 768,
      workspaceName: 'DialNexa workspace',
      baseUrl: 'https://api.dialnexa.com',
      baselineGuardPercent: 50,
      bundleAwsSdk: true,
      rateCard: undefined,
      actionTriggers: {
        unrouted: true,
        missingAgents: true,
        removedNumbers: true,
        failedWorkspaces: true,
        unreconciled: false,
        idle: false,
      },
      checkAgents: true,
      checkUsage: true,
      usageWindowDays: 30,
      usageRequestBudget: 1500,
      historyRetentionDays: 400,
      fanOut: false,
      fanOutConcurrency: 10,
      workspaceSecretPrefix: 'number-audit/',
      allowedRecipientDomains: ['example.com'],
      publishEvents: true,
    });
    expect(parseConfig(base)).not.toHaveProperty('workspaces');
  });

  it('reads -c strings and cdk.json JSON values alike', () => {
    const fromCli = parseConfig({
      ...base,
      recipients: ' a@x.com, b@y.com ',
      memorySize: '1024',
      bundleAwsSdk: 'false',
      logRetentionDays: '30',
    });
    const fromJson = parseConfig({
      ...base,
      recipients: ['a@x.com', 'b@y.com'],
      memorySize: 1024,
      bundleAwsSdk: false,
      logRetentionDays: 30,
    });
    expect(fromCli).toEqual(fromJson);
    expect(fromCli.recipients).toEqual(['a@x.com', 'b@y.com']);
    expect(fromCli.bundleAwsSdk).toBe(false);
  });

  it('treats an empty -c value as not given', () => {
    expect(parseConfig({ ...base, alarmEmail: '', timeZone: ' ' })).toMatchObject({
      alarmEmail: undefined,
      timeZone: 'UTC',
    });
  });

  it('tells a complete secret ARN from a partial one', () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/dialnexa';
    expect(parseConfig({ ...base, secret: `${arn}-a1B2c3` }).secret).toEqual({
      kind: 'arn',
      arn: `${arn}-a1B2c3`,
      complete: true,
    });
    expect(parseConfig({ ...base, secret: arn }).secret).toEqual({ kind: 'arn', arn, complete: false });
  });

  it.each([
    ['recipients', undefined, /^recipients: is required/],
    ['recipients', '', /^recipients: is required/],
    ['recipients', 'ops@example.com, not-an-address', /^recipients: "not-an-address" is not an email address/],
    [
      'recipients',
      Array.from({ length: 51 }, (_, i) => `r${i}@example.com`).join(','),
      /^recipients: has 51 addresses; at most 50/,
    ],
    ['recipients', 42, /^recipients: must be a comma-separated string or an array/],
    ['sender', undefined, /^sender: is required/],
    ['sender', 'Audit <audit@example.com>', /^sender: .* is not an email address/],
    ['replyTo', 'nobody', /^replyTo: "nobody" is not an email address/],
    ['secret', 'has spaces in it', /^secret: .* is not a secret name/],
    ['secret', 'arn:aws:s3:::bucket', /^secret: .* is not a Secrets Manager secret ARN/],
    ['secretField', 'api key', /^secretField: .* is not a JSON field name/],
    ['secretKmsKeyArn', 'alias/aws/secretsmanager', /^secretKmsKeyArn: .* is not a KMS key ARN/],
    ['schedule', 'rate(7 days)', /^schedule: .* is not an AWS cron expression/],
    [
      'schedule',
      'cron(0 9 * * MON *)',
      /^schedule: exactly one of day-of-month \("\*"\) and day-of-week \("MON"\) must be "\?"/,
    ],
    ['schedule', 'cron(0 25 ? * MON *)', /^schedule: hours field "25": "25" is not a valid hours \(0-23\)/],
    ['schedule', 'cron(0 9 ? * FUNDAY *)', /^schedule: day-of-week field "FUNDAY"/],
    ['schedule', 'cron(0 9 ? * MON)', /^schedule: .* is not an AWS cron expression with 6 fields/],
    ['timeZone', 'Mars/Olympus_Mons', /^timeZone: "Mars\/Olympus_Mons" is not an IANA time zone/],
    ['alarmEmail', 'oncall', /^alarmEmail: "oncall" is not an email address/],
    ['sesConfigurationSet', 'has space', /^sesConfigurationSet: .* is not an SES configuration set name/],
    [
      'logRetentionDays',
      '45',
      /^logRetentionDays: 45 is not a CloudWatch Logs retention period; use one of 1, 3, 5, 7, 14, 30, 60, 90/,
    ],
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
    ['rateCard', '{"rates": {"USA": {"local": 1}}}', /^rateCard: rates: "USA" is not a two-letter ISO country code/],
    [
      'rateCard',
      { rates: { US: { local: -1 } } },
      /^rateCard: rates\.US\.local must be a non-negative number of USD per month/,
    ],
    ['rateCard', { currency: 'EUR', rates: { '*': { '*': 1 } } }, /^rateCard: currency must be "USD"/],
    ['rateCard', '{"rates": ', /^rateCard: the rate card is not valid JSON/],
    [
      'actionTriggers',
      'unrouted,unroutd',
      /^actionTriggers: "unroutd" is not a trigger; use some of unrouted, missingAgents, removedNumbers, failedWorkspaces, unreconciled, idle \(comma-separated\), or none/,
    ],
    ['actionTriggers', 'none,unrouted', /^actionTriggers: "none" cannot be combined with other triggers/],
    ['actionTriggers', [1], /^actionTriggers: must be a string or an array of strings/],
    ['checkAgents', 'sometimes', /^checkAgents: must be true or false/],
    ['historyRetentionDays', '7', /^historyRetentionDays: must be a whole number from 35 to 3653/],
    ['historyRetentionDays', '1 year', /^historyRetentionDays: must be a whole number from 35 to 3653/],
  ])('%s = %j fails naming the key', (key, value, message) => {
    expect(() => parseConfig({ ...base, [key]: value })).toThrow(message);
  });

  it('demands a timeout that leaves work time after the deadline margin', () => {
    expect(() => parseConfig({ ...base, functionTimeoutSeconds: 60, runDeadlineMarginSeconds: 45 })).toThrow(
      /^functionTimeoutSeconds: must be at least runDeadlineMarginSeconds \(45\) \+ 30 s of work = 75 \(got 60\)/,
    );
    expect(
      parseConfig({ ...base, functionTimeoutSeconds: 75, runDeadlineMarginSeconds: 45 }).functionTimeoutSeconds,
    ).toBe(75);
  });
});

describe('unknown and missing keys', () => {
  it.each([
    ['timezone', 'Asia/Kolkata', 'timeZone'],
    ['recipient', 'ops@example.com', 'recipients'],
    ['memorysize', '1024', 'memorySize'],
    ['shedule', 'cron(0 9 ? * MON *)', 'schedule'],
  ])('-c %s=... (a near-miss) fails synth naming the key it meant', (key, value, meant) => {
    expect(() => parseConfig({ ...base, [key]: value })).toThrow(
      new ConfigError(key, `unknown key; did you mean ${meant}?`),
    );
  });

  it('a key like no setting says where the keys are listed', () => {
    expect(() => parseConfig({ ...base, colour: 'blue' })).toThrow(
      "colour: unknown key; the keys are listed in docs/configuration.md (CDK's own start with @aws-cdk/, aws:cdk: or cli-)",
    );
  });

  it("leaves CDK's own keys alone: feature flags, its switches, the CLI's, lookup results", () => {
    expect(() =>
      parseConfig({
        ...base,
        '@aws-cdk/core:newStyleStackSynthesis': true,
        '@aws-cdk-containers/ecs-service-extensions:enableDefaultLogDriver': true,
        'aws:cdk:version-reporting': false,
        'aws:cdk:bundling-stacks': ['**'],
        'cli-telemetry': false,
        'acknowledged-issue-numbers': [32775],
        'availability-zones:account=123456789012:region=eu-west-1': ['eu-west-1a'],
      }),
    ).not.toThrow();
  });

  it('reports every missing required key and every bad value at once', () => {
    let error: unknown;
    try {
      parseConfig({ timezone: 'Asia/Kolkata', memorySize: 'lots' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigProblems);
    expect((error as ConfigProblems).problems.map((p) => p.setting)).toEqual([
      'timezone',
      'recipients',
      'sender',
      'memorySize',
    ]);
    expect((error as Error).message).toBe(
      [
        '4 problems:',
        '  timezone: unknown key; did you mean timeZone?',
        '  recipients: is required: one or more email addresses, comma-separated (set it in cdk.json or pass -c recipients=...)',
        '  sender: is required: the verified SES address reports come from (set it in cdk.json or pass -c sender=...)',
        '  memorySize: must be a whole number from 128 to 10240 (got "lots")',
      ].join('\n'),
    );
  });
});

describe('history, cost and findings', () => {
  it('reads a rate card from a cdk.json object or a -c JSON string, normalized the same way', () => {
    const card = { currency: 'USD', rates: { us: { local: 1.15, 'toll-free': 2, '*': 1.5 }, '*': { '*': 3 } } };
    const fromObject = parseConfig({ ...base, rateCard: card }).rateCard;
    expect(parseConfig({ ...base, rateCard: JSON.stringify(card) }).rateCard).toEqual(fromObject);
    expect(fromObject).toEqual({
      currency: 'USD',
      rates: { US: { local: 1.15, toll_free: 2, '*': 1.5 }, '*': { '*': 3 } },
    });
  });

  it.each([
    [
      'unrouted, FailedWorkspaces',
      {
        unrouted: true,
        missingAgents: false,
        removedNumbers: false,
        failedWorkspaces: true,
        unreconciled: false,
        idle: false,
      },
    ],
    [
      ['missingAgents'],
      {
        unrouted: false,
        missingAgents: true,
        removedNumbers: false,
        failedWorkspaces: false,
        unreconciled: false,
        idle: false,
      },
    ],
    [
      'none',
      {
        unrouted: false,
        missingAgents: false,
        removedNumbers: false,
        failedWorkspaces: false,
        unreconciled: false,
        idle: false,
      },
    ],
    [
      '',
      {
        unrouted: true,
        missingAgents: true,
        removedNumbers: true,
        failedWorkspaces: true,
        unreconciled: false,
        idle: false,
      },
    ],
    [
      'idle',
      {
        unrouted: false,
        missingAgents: false,
        removedNumbers: false,
        failedWorkspaces: false,
        unreconciled: false,
        idle: true,
      },
    ],
  ])('actionTriggers %j', (value, triggers) => {
    expect(parseConfig({ ...base, actionTriggers: value }).actionTriggers).toEqual(triggers);
  });

  it('reads checkAgents and historyRetentionDays from -c strings and JSON values alike', () => {
    expect(parseConfig({ ...base, checkAgents: 'false', historyRetentionDays: '730' })).toMatchObject({
      checkAgents: false,
      historyRetentionDays: 730,
    });
    expect(parseConfig({ ...base, checkAgents: false, historyRetentionDays: 35 })).toMatchObject({
      checkAgents: false,
      historyRetentionDays: 35,
    });
  });
});

describe('workspaces', () => {
  const KMS = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  const OWN_KMS = 'arn:aws:kms:eu-west-1:123456789012:key/9999abcd-12ab-34cd-56ef-1234567890ab';
  const list = [
    { name: 'Acme prod', secretId: 'acme/dialnexa' },
    {
      name: 'Globex',
      secretId: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:globex/dialnexa-Ab12Cd',
      secretField: 'key',
      secretKmsKeyArn: OWN_KMS,
    },
  ];

  it('reads a JSON string (-c) or an array (cdk.json); entries inherit secretField and secretKmsKeyArn', () => {
    const fromCli = parseConfig({ ...base, secretKmsKeyArn: KMS, workspaces: JSON.stringify(list) });
    expect(parseConfig({ ...base, secretKmsKeyArn: KMS, workspaces: list })).toEqual(fromCli);
    expect(fromCli.workspaces).toEqual([
      {
        name: 'Acme prod',
        secret: { kind: 'name', name: 'acme/dialnexa' },
        secretField: 'apiKey',
        secretKmsKeyArn: KMS,
      },
      {
        name: 'Globex',
        secret: { kind: 'arn', arn: list[1].secretId, complete: true },
        secretField: 'key',
        secretKmsKeyArn: OWN_KMS,
      },
    ]);
  });

  it('accepts up to 20 workspaces', () => {
    const twenty = Array.from({ length: 20 }, (_, i) => ({ name: `Client ${i}`, secretId: `clients/${i}` }));
    expect(parseConfig({ ...base, workspaces: twenty }).workspaces).toHaveLength(20);
  });

  it('fans out by itself past 20 workspaces, whose secrets must then sit under workspaceSecretPrefix', () => {
    const list = (prefix: string) =>
      Array.from({ length: 21 }, (_, i) => ({ name: `c${i}`, secretId: `${prefix}${i}` }));
    expect(parseConfig({ ...base, workspaces: list('number-audit/') }).fanOut).toBe(true);
    expect(parseConfig({ ...base, workspaces: list('number-audit/').slice(0, 20) }).fanOut).toBe(false);
    expect(() => parseConfig({ ...base, workspaces: list('number-audit/'), fanOut: false })).toThrow(
      /^workspaces: lists 21 workspaces; one function audits at most 20: leave fanOut unset or true/,
    );
    expect(() => parseConfig({ ...base, workspaces: list('c/') })).toThrow(
      /^workspaces entry 1 \("c0"\) secretId: "c\/0" must be a secret name starting with "number-audit\/"/,
    );
    // The grant is secret:<prefix>*: a prefix without its slash would admit "acme-prod-db" too.
    expect(() => parseConfig({ ...base, workspaces: list('acme/'), workspaceSecretPrefix: 'acme' })).toThrow(
      /^workspaceSecretPrefix: "acme" must end with "\/"/,
    );
  });

  it.each([
    ['not JSON', '[{name: "x"}]', /^workspaces: is not valid JSON; expected \[\{"name"/],
    ['an empty list', '[]', /^workspaces: must be a list of 1-20 workspaces \(up to 1000 with fanOut\)/],
    [
      '1001 entries',
      Array.from({ length: 1001 }, (_, i) => ({ name: `c${i}`, secretId: `number-audit/${i}` })),
      /^workspaces: must be a list of 1-20 workspaces \(up to 1000 with fanOut\)/,
    ],
    ['an entry that is not an object', ['acme/dialnexa'], /^workspaces: entry 1 must be an object/],
    [
      'an unknown field',
      [{ name: 'Acme', secretId: 'acme/k', secret: 'x' }],
      /^workspaces: entry 1: unknown field "secret"; the fields are name, secretId, secretField, secretKmsKeyArn/,
    ],
    ['a missing secretId', [{ name: 'Acme' }], /^workspaces: entry 1 \("Acme"\): secretId is required: \[\{"name"/],
    [
      'a numeric name',
      [{ name: 7, secretId: 'acme/k' }],
      /^workspaces: entry 1: name must be a string \(got a number\)/,
    ],
    [
      'a bad secretId',
      [
        { name: 'Acme', secretId: 'acme/k' },
        { name: 'Globex', secretId: 'has spaces' },
      ],
      /^workspaces: entry 2 \("Globex"\): secretId: "has spaces" is not a secret name/,
    ],
    [
      'a bad secretField',
      [{ name: 'Acme', secretId: 'acme/k', secretField: 'api key' }],
      /^workspaces: entry 1 \("Acme"\): secretField: "api key" is not a JSON field name/,
    ],
    [
      'a bad KMS key',
      [{ name: 'Acme', secretId: 'acme/k', secretKmsKeyArn: 'alias/x' }],
      /^workspaces: entry 1 \("Acme"\): secretKmsKeyArn: "alias\/x" is not a KMS key ARN/,
    ],
    [
      'a two-line name',
      [{ name: 'Acme\nprod', secretId: 'acme/k' }],
      /^workspaces: entry 1: name: must be 1-100 printable characters/,
    ],
    [
      'the same name twice',
      [
        { name: 'Acme', secretId: 'a/1' },
        { name: 'ACME', secretId: 'a/2' },
      ],
      /^workspaces: entry 2 \("ACME"\): the name is already used by "Acme"/,
    ],
    [
      'names sharing a history folder',
      [
        { name: 'Acme prod', secretId: 'a/1' },
        { name: 'acme-prod', secretId: 'a/2' },
      ],
      /^workspaces: entry 2 \("acme-prod"\): "acme-prod" and "Acme prod" would share the history folder reports\/acme-prod\//,
    ],
  ])('fails on %s, naming workspaces and the entry', (_what, value, message) => {
    expect(() => parseConfig({ ...base, workspaces: value })).toThrow(message);
  });

  it.each([
    ['secret', 'other/secret'],
    ['workspaceName', 'Acme'],
  ])('refuses %s next to workspaces, which replace it', (key, value) => {
    expect(() => parseConfig({ ...base, [key]: value, workspaces: list })).toThrow(
      new RegExp(
        `^workspaces: replaces ${key}; remove ${key} \\(it is "${value}"\\) or make it an entry of workspaces`,
      ),
    );
  });

  it("leaves cdk.json's default secret and workspaceName alone", () => {
    expect(parseConfig({ ...cdkJsonContext(), ...base, workspaces: list }).workspaces).toHaveLength(2);
  });
});

describe('parseCron', () => {
  it.each([
    ['cron(0 9 ? * MON *)', { minute: '0', hour: '9', day: '?', month: '*', weekDay: 'MON', year: '*' }],
    ['30 7 ? * mon-fri *', { minute: '30', hour: '7', day: '?', month: '*', weekDay: 'MON-FRI', year: '*' }],
    ['cron(0 6 1,15 * ? *)', { minute: '0', hour: '6', day: '1,15', month: '*', weekDay: '?', year: '*' }],
    [
      'cron(0/15 8-17 ? JAN-MAR 2#1 2026)',
      { minute: '0/15', hour: '8-17', day: '?', month: 'JAN-MAR', weekDay: '2#1', year: '2026' },
    ],
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

  it('sets every feature flag aws-cdk-lib recommends, to the recommended value (synth prints no flag warnings)', () => {
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

it("only CloudWatch retention periods are accepted: CDK's RetentionDays without its 9999 'infinite' sentinel", () => {
  const cdk = Object.values(RetentionDays)
    .filter((v): v is number => typeof v === 'number' && v !== RetentionDays.INFINITE)
    .sort((a, b) => a - b);
  expect(RETENTION_DAYS).toEqual(cdk);
  expect(RETENTION_DAYS).toContain(90);
  expect(RETENTION_DAYS).not.toContain(9999);
});
