import { ConfigError } from '../../lambda/core/errors';
import { readHandlerConfig } from '../../lambda/handler/config';

const base = {
  DIALNEXA_SECRET_ID: 'prod/dialnexa',
  REPORT_RECIPIENTS: 'ops@example.com, finance@example.com',
  REPORT_SENDER: 'reports@example.com',
};

function errorFor(env: Record<string, string>): ConfigError {
  try {
    readHandlerConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('readHandlerConfig', () => {
  it('applies documented defaults to a minimal environment', () => {
    const config = readHandlerConfig(base);
    expect(config).toMatchObject({
      workspaces: [
        { name: 'DialNexa workspace', secretId: 'prod/dialnexa', secretField: 'apiKey', setting: 'DIALNEXA_SECRET_ID' },
      ],
      secretMaxAgeSeconds: 300,
      baseUrl: 'https://api.dialnexa.com',
      recipients: ['ops@example.com', 'finance@example.com'],
      sender: 'reports@example.com',
      timeZone: 'UTC',
      // The stack's default margin (60 s), not a fallback of its own.
      deadlineMarginMs: 60_000,
      triggers: {
        unrouted: true,
        missingAgents: true,
        removedNumbers: true,
        failedWorkspaces: true,
        unreconciled: false,
      },
      checkAgents: true,
      maxBaselineLoss: 0.5,
      idempotencyLeaseMs: 180_000,
    });
    expect(config.replyTo).toBeUndefined();
    expect(config.configurationSetName).toBeUndefined();
    expect(config.archiveBucket).toBeUndefined();
    expect(config.rateCard).toBeUndefined();
  });

  it('reads the baseline guard as a share, and names the variable when it is out of range', () => {
    expect(readHandlerConfig({ ...base, BASELINE_GUARD_PERCENT: '20' }).maxBaselineLoss).toBe(0.2);
    expect(() => readHandlerConfig({ ...base, BASELINE_GUARD_PERCENT: '150' })).toThrow(/^BASELINE_GUARD_PERCENT/);
  });

  it('reads every optional setting', () => {
    const config = readHandlerConfig({
      ...base,
      DIALNEXA_SECRET_FIELD: 'key',
      DIALNEXA_BASE_URL: 'https://eu.api.dialnexa.com/',
      REPORT_REPLY_TO: 'noc@example.com',
      SES_CONFIGURATION_SET: 'reports-set',
      REPORT_TIME_ZONE: 'Asia/Kolkata',
      WORKSPACE_NAME: 'Acme prod',
      SECRET_MAX_AGE_SECONDS: '60',
      RUN_DEADLINE_MARGIN_MS: '15000',
    });
    expect(config).toMatchObject({
      workspaces: [{ name: 'Acme prod', secretId: 'prod/dialnexa', secretField: 'key' }],
      baseUrl: 'https://eu.api.dialnexa.com',
      replyTo: ['noc@example.com'],
      configurationSetName: 'reports-set',
      timeZone: 'Asia/Kolkata',
      secretMaxAgeSeconds: 60,
      deadlineMarginMs: 15000,
    });
  });

  it.each([
    [{ DIALNEXA_SECRET_ID: '' }, 'DIALNEXA_SECRET_ID', /required/],
    [{ DIALNEXA_SECRET_ID: 'has space' }, 'DIALNEXA_SECRET_ID', /secret name or ARN/],
    [{ DIALNEXA_SECRET_FIELD: 'a b' }, 'DIALNEXA_SECRET_FIELD', /field name/],
    [{ REPORT_RECIPIENTS: '' }, 'REPORT_RECIPIENTS', /required/],
    [{ REPORT_RECIPIENTS: 'ops@example.com, not-an-address' }, 'REPORT_RECIPIENTS', /not-an-address.*not an email/],
    [
      { REPORT_RECIPIENTS: Array.from({ length: 51 }, (_, i) => `u${i}@example.com`).join(',') },
      'REPORT_RECIPIENTS',
      /51 addresses; at most 50/,
    ],
    [{ REPORT_SENDER: 'reports@localhost' }, 'REPORT_SENDER', /not an email/],
    [{ REPORT_REPLY_TO: 'x' }, 'REPORT_REPLY_TO', /not an email/],
    [{ REPORT_TIME_ZONE: 'Mars/Olympus' }, 'REPORT_TIME_ZONE', /IANA time zone/],
    [{ DIALNEXA_BASE_URL: 'http://api.dialnexa.com' }, 'DIALNEXA_BASE_URL', /https/],
    [{ DIALNEXA_BASE_URL: 'not a url' }, 'DIALNEXA_BASE_URL', /not a URL/],
    [{ SES_CONFIGURATION_SET: 'bad set!' }, 'SES_CONFIGURATION_SET', /configuration set/],
    [{ SECRET_MAX_AGE_SECONDS: '5m' }, 'SECRET_MAX_AGE_SECONDS', /whole number from 0 to 3600/],
    [{ RUN_DEADLINE_MARGIN_MS: '10' }, 'RUN_DEADLINE_MARGIN_MS', /from 1000/],
    [{ WORKSPACE_NAME: 'a\r\nBcc: evil@example.com' }, 'WORKSPACE_NAME', /printable characters/],
    [{ WORKSPACES: '[{name:1}]' }, 'WORKSPACES', /not valid JSON/],
    [{ WORKSPACES: '[]' }, 'WORKSPACES', /1/],
    [
      { WORKSPACES: '[{"name":"A","secretId":"a b"}]' },
      'WORKSPACES',
      /entry 0\.secretId: must be a Secrets Manager secret name or ARN/,
    ],
    [{ WORKSPACES: '[{"name":"A","secretId":"a","extra":1}]' }, 'WORKSPACES', /entry 0/],
    [{ WORKSPACES: '[{"name":"A","secretId":"a"},{"name":"a","secretId":"b"}]' }, 'WORKSPACES', /"a" twice/],
    [
      { WORKSPACES: '[{"name":"Acme prod","secretId":"a"},{"name":"acme-prod","secretId":"b"}]' },
      'WORKSPACES',
      /share the history folder "acme-prod"/,
    ],
    [{ ARCHIVE_BUCKET: 'Not_A_Bucket' }, 'ARCHIVE_BUCKET', /bucket name/],
    [{ RATE_CARD: '{"rates":{"US":{"local":-1}}}' }, 'RATE_CARD', /./],
    [{ ACTION_TRIGGERS: 'unrouted,typo' }, 'ACTION_TRIGGERS', /"typo" is not a trigger/],
    [{ CHECK_AGENTS: 'maybe' }, 'CHECK_AGENTS', /true or false/],
    [{ IDEMPOTENCY_LEASE_SECONDS: '5' }, 'IDEMPOTENCY_LEASE_SECONDS', /from 60/],
  ])('rejects %j naming %s', (override, setting, problem) => {
    const error = errorFor({ ...base, ...override });
    expect(error.setting).toBe(setting);
    expect(error.message.startsWith(`${setting}: `)).toBe(true);
    expect(error.message).toMatch(problem);
  });

  describe('allowed recipient domains', () => {
    it("default to the configured recipients' domains, once each", () => {
      expect(readHandlerConfig(base).allowedRecipientDomains).toEqual(['example.com']);
      expect(
        readHandlerConfig({ ...base, REPORT_RECIPIENTS: 'ops@Example.com,cfo@example.in,noc@example.com' })
          .allowedRecipientDomains,
      ).toEqual(['example.com', 'example.in']);
    });

    it('come from ALLOWED_RECIPIENT_DOMAINS, lower-cased', () => {
      expect(
        readHandlerConfig({ ...base, ALLOWED_RECIPIENT_DOMAINS: 'Example.com, partner.example.org' })
          .allowedRecipientDomains,
      ).toEqual(['example.com', 'partner.example.org']);
    });

    it("send to the configured recipients with their domains lower-cased, as the SES policy's patterns are", () => {
      expect(readHandlerConfig({ ...base, REPORT_RECIPIENTS: 'Ops@EXAMPLE.com' }).recipients).toEqual([
        'Ops@example.com',
      ]);
    });

    it.each([
      [{ ALLOWED_RECIPIENT_DOMAINS: '*.example.com' }, /"\*\.example\.com" is not a domain/],
      [{ ALLOWED_RECIPIENT_DOMAINS: '@example.com' }, /"@example\.com" is not a domain/],
      [
        { ALLOWED_RECIPIENT_DOMAINS: 'example.in' },
        /does not include example\.com, the domain of recipient ops@example\.com/,
      ],
    ])('rejects %j naming ALLOWED_RECIPIENT_DOMAINS', (override, problem) => {
      const error = errorFor({ ...base, ...override });
      expect(error.setting).toBe('ALLOWED_RECIPIENT_DOMAINS');
      expect(error.message).toMatch(problem);
    });
  });

  it('reads several workspaces, each with its own secret, without DIALNEXA_SECRET_ID', () => {
    const { DIALNEXA_SECRET_ID: _unused, ...rest } = base;
    const config = readHandlerConfig({
      ...rest,
      DIALNEXA_SECRET_FIELD: 'key',
      WORKSPACES: JSON.stringify([
        { name: 'Acme prod', secretId: 'acme/dialnexa' },
        {
          name: 'Acme EU',
          secretId: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:eu-AbCdEf',
          secretField: 'apiKey',
        },
      ]),
    });
    expect(config.workspaces).toEqual([
      { name: 'Acme prod', secretId: 'acme/dialnexa', secretField: 'key', setting: 'WORKSPACES (Acme prod)' },
      {
        name: 'Acme EU',
        secretId: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:eu-AbCdEf',
        secretField: 'apiKey',
        setting: 'WORKSPACES (Acme EU)',
      },
    ]);
  });

  it('reads history, rate card, triggers and agent checks', () => {
    const config = readHandlerConfig({
      ...base,
      ARCHIVE_BUCKET: 'number-audit-history-123',
      RATE_CARD: '{"rates":{"US":{"local":1.15},"*":{"*":3}}}',
      ACTION_TRIGGERS: 'unrouted,failedWorkspaces',
      CHECK_AGENTS: 'false',
      IDEMPOTENCY_LEASE_SECONDS: '360',
    });
    expect(config.archiveBucket).toBe('number-audit-history-123');
    expect(config.rateCard?.rates.US.local).toBe(1.15);
    expect(config.triggers).toEqual({
      unrouted: true,
      missingAgents: false,
      removedNumbers: false,
      failedWorkspaces: true,
      unreconciled: false,
      idle: false,
    });
    expect(config.checkAgents).toBe(false);
    expect(config.idempotencyLeaseMs).toBe(360_000);
    expect(readHandlerConfig({ ...base, ACTION_TRIGGERS: 'none' }).triggers).toEqual({
      unrouted: false,
      missingAgents: false,
      removedNumbers: false,
      failedWorkspaces: false,
      unreconciled: false,
      idle: false,
    });
    expect(readHandlerConfig({ ...base, ACTION_TRIGGERS: 'unreconciled' }).triggers.unreconciled).toBe(true);
  });

  it('accepts plain http only for a loopback simulator', () => {
    expect(readHandlerConfig({ ...base, DIALNEXA_BASE_URL: 'http://127.0.0.1:4010' }).baseUrl).toBe(
      'http://127.0.0.1:4010',
    );
  });

  it("de-duplicates recipients case-insensitively, keeping the first spelling of the mailbox (domains in lower case: the SES policy's patterns are)", () => {
    const config = readHandlerConfig({ ...base, REPORT_RECIPIENTS: 'Ops@Example.com,ops@example.com,b@example.com' });
    expect(config.recipients).toEqual(['Ops@example.com', 'b@example.com']);
  });
});
