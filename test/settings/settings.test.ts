// The settings module: one entry per setting, read the same way on every surface, each surface's
// errors naming the setting as that surface calls it.
import { ConfigError } from '../../lambda/core/errors';
import {
  contextReader,
  envDefault,
  envReader,
  parseCron,
  readFlag,
  SETTINGS,
  type SettingSpec,
} from '../../lambda/settings';
import { readHandlerConfig } from '../../lambda/handler/config';
import { CONTEXT_KEYS, DEFAULTS, parseConfig } from '../../lib/config';
import { functionEnvironment } from '../../lib/function-environment';

const specs = Object.entries(SETTINGS) as [string, SettingSpec][];

function errorOf(read: () => unknown): ConfigError {
  try {
    read();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('the table', () => {
  it('names each context key, variable and flag once', () => {
    for (const surface of ['context', 'env', 'flag'] as const) {
      const names = specs.map(([, s]) => s[surface]).filter((n) => n !== undefined);
      expect(names.length).toBeGreaterThan(0);
      expect(new Set(names).size).toBe(names.length);
    }
  });

  it('calls a context setting by its context key, which is the field of the stack config', () => {
    const config = parseConfig({
      recipients: 'ops@example.com',
      sender: 'audit@example.com',
      workspaces: [{ name: 'Acme', secretId: 'acme/dialnexa' }],
    });
    for (const [name, spec] of specs.filter(([, s]) => s.context !== undefined)) {
      expect([name, spec.context]).toEqual([name, name]);
      expect(config).toHaveProperty(name);
    }
    expect(CONTEXT_KEYS).toEqual(specs.filter(([, s]) => s.context !== undefined).map(([name]) => name));
  });

  it('gives every setting a one-line doc and a default that its own schema accepts', () => {
    for (const [name, spec] of specs) {
      expect([name, spec.doc]).toEqual([name, expect.stringMatching(/^[^\n|]{10,160}$/)]);
      if (spec.default !== undefined) expect(spec.schema.safeParse(spec.default).success).toBe(true);
      if (spec.required !== undefined) expect(spec.default).toBeUndefined();
    }
  });

  it('derives the stack defaults from the table', () => {
    expect(DEFAULTS).toMatchObject({
      secret: 'number-audit/dialnexa',
      secretField: 'apiKey',
      schedule: 'cron(0 9 ? * MON *)',
    });
    expect(Object.keys(DEFAULTS)).not.toContain('recipients');
  });
});

describe('one problem, named per surface', () => {
  it.each([
    [SETTINGS.timeZone, 'Mars/Olympus', /"Mars\/Olympus" is not an IANA time zone/],
    [SETTINGS.secretField, 'api key', /"api key" is not a JSON field name/],
    [SETTINGS.sesConfigurationSet, 'bad set!', /is not an SES configuration set name/],
    [SETTINGS.baseUrl, 'http://api.dialnexa.com', /must be an https:\/\/ URL/],
    [SETTINGS.baseUrl, 'https://api.dialnexa.com/v1/', /ends in \/v1: drop \/v1/],
    [SETTINGS.recipients, 'ops@example.com, nope', /"nope" is not an email address/],
  ])('%#: context key, variable and flag', (spec, value, problem) => {
    const onContext = errorOf(() => contextReader({ [spec.context]: value }).need(spec));
    const onEnv = errorOf(() => envReader({ [spec.env]: value }).need(spec));
    const onFlag = errorOf(() => readFlag(spec, value));
    expect([onContext.setting, onEnv.setting, onFlag.setting]).toEqual([spec.context, spec.env, spec.flag]);
    for (const e of [onContext, onEnv, onFlag]) {
      expect(e.message).toMatch(problem);
      expect(e.message.startsWith(`${e.setting}: `)).toBe(true);
    }
  });

  it('says to drop /v1 from a base URL, since every request path starts with it', () => {
    expect(errorOf(() => readFlag(SETTINGS.baseUrl, 'https://eu.api.dialnexa.com/V1')).message).toBe(
      '--base-url: ends in /v1: drop /v1 (every request adds it), e.g. https://eu.api.dialnexa.com',
    );
    expect(
      errorOf(() => contextReader({ baseUrl: 'https://api.dialnexa.com/v1' }).need(SETTINGS.baseUrl)).message,
    ).toBe('baseUrl: ends in /v1: drop /v1 (every request adds it), e.g. https://api.dialnexa.com');
    expect(readFlag(SETTINGS.baseUrl, 'https://proxy.example.com/dialnexa/v1beta')).toBe(
      'https://proxy.example.com/dialnexa/v1beta',
    );
  });

  it('reads blank values as not given, on the stack and in the function alike', () => {
    expect(contextReader({ timeZone: ' ' }).need(SETTINGS.timeZone)).toBe('UTC');
    expect(envReader({ REPORT_TIME_ZONE: ' ' }).need(SETTINGS.timeZone)).toBe('UTC');
    expect(contextReader({ replyTo: null }).maybe(SETTINGS.replyTo)).toBeUndefined();
  });

  it('says what a required context key needs and how to pass it', () => {
    expect(errorOf(() => contextReader({}).need(SETTINGS.sender)).message).toBe(
      'sender: is required: the verified SES address reports come from (set it in cdk.json or pass -c sender=...)',
    );
    expect(errorOf(() => envReader({}).need(SETTINGS.sender)).message).toBe('REPORT_SENDER: is required but not set');
  });

  it('keeps the stack default off the surfaces it is not for', () => {
    expect(contextReader({}).need(SETTINGS.secret)).toEqual({ kind: 'name', name: 'number-audit/dialnexa' });
    expect(envReader({}).maybe(SETTINGS.secret)).toBeUndefined();
  });
});

describe("the function's fallbacks", () => {
  it('are what the stack writes for its defaults, so an unset variable means the same on both sides', () => {
    const stackEnv = functionEnvironment(
      parseConfig({ recipients: 'ops@example.com', sender: 'audit@example.com' }),
      'history-bucket',
    );
    const handlerDefaults = readHandlerConfig({
      REPORT_RECIPIENTS: 'ops@example.com',
      REPORT_SENDER: 'audit@example.com',
      DIALNEXA_SECRET_ID: 'x',
    });
    const fromStack = readHandlerConfig(stackEnv);
    for (const key of [
      'deadlineMarginMs',
      'idempotencyLeaseMs',
      'baseUrl',
      'timeZone',
      'triggers',
      'checkAgents',
    ] as const) {
      expect([key, handlerDefaults[key]]).toEqual([key, fromStack[key]]);
    }
    expect(handlerDefaults.workspaces[0]).toMatchObject({
      name: fromStack.workspaces[0].name,
      secretField: fromStack.workspaces[0].secretField,
    });
    for (const [, spec] of specs.filter(([, s]) => s.env !== undefined && s.context !== undefined)) {
      const fallback = envDefault(spec);
      if (fallback !== undefined)
        expect([spec.env, String(fallback)]).toEqual([spec.env, stackEnv[spec.env as string]]);
    }
  });

  it('keep back 60 s before the deadline when RUN_DEADLINE_MARGIN_MS is not set', () => {
    const config = readHandlerConfig({
      REPORT_RECIPIENTS: 'ops@example.com',
      REPORT_SENDER: 'audit@example.com',
      DIALNEXA_SECRET_ID: 'x',
    });
    expect(config.deadlineMarginMs).toBe(60_000);
    expect(config.idempotencyLeaseMs).toBe((60 + 120) * 1000);
  });
});

describe('schedule', () => {
  it.each([
    ['cron(0 9 ? * MON *)', undefined],
    ['cron(0 9 * * MON *)', /exactly one of day-of-month/],
    ['cron(0 9 ? * MON)', /with 6 fields/],
    ['cron(61 9 ? * MON *)', /minutes field "61"/],
  ])('%s', (input, problem) => {
    const read = () => contextReader({ schedule: input }).need(SETTINGS.schedule);
    if (problem === undefined) expect(read()).toEqual(parseCron('schedule', input));
    else expect(read).toThrow(new RegExp(`^schedule: .*${problem.source}`));
  });
});

describe('sender', () => {
  it('keeps the mailbox and lower-cases the domain on every surface, as SES identities spell it', () => {
    const base = { recipients: 'ops@example.com', sender: 'Audit@Reports.Example.COM' };
    expect(parseConfig(base).sender).toBe('Audit@reports.example.com');
    expect(
      readHandlerConfig({ REPORT_RECIPIENTS: 'ops@example.com', REPORT_SENDER: base.sender, DIALNEXA_SECRET_ID: 's' })
        .sender,
    ).toBe('Audit@reports.example.com');
  });
});
