import { DRY_RUN_FROM, DRY_RUN_TO, parseCliArgs, wantsHelp } from '../../lambda/cli/args';
import { ConfigError } from '../../lambda/core/errors';
import { SETTINGS } from '../../lambda/settings';

const DEFAULT_BASE_URL = SETTINGS.baseUrl.default;

const parse = (...argv: string[]) => parseCliArgs(argv, { timeZone: 'Europe/London' });

function usageErrorOf(argv: string[]): ConfigError {
  try {
    parseCliArgs(argv);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`expected ${argv.join(' ')} to be rejected`);
}

describe('parseCliArgs', () => {
  it('has defaults for a plain run: production API, key from the environment, dry run, local zone', () => {
    const o = parse();
    expect(o).toMatchObject({
      baseUrl: DEFAULT_BASE_URL,
      key: { kind: 'env', varName: 'DIALNEXA_API_KEY' },
      filters: {},
      send: false,
      json: false,
      verbose: false,
      from: DRY_RUN_FROM,
      to: [DRY_RUN_TO],
      timeZone: 'Europe/London',
      workspaceName: 'DialNexa workspace',
      timeoutSeconds: 600,
    });
    expect(o.outDir).toBeUndefined();
  });

  it('reads every option', () => {
    const o = parse(
      '--base-url',
      'http://127.0.0.1:8080/',
      '--secret-id',
      'prod/dialnexa',
      '--secret-field',
      'token',
      '--country-code',
      'in',
      '--type',
      'toll-free',
      '--out',
      'reports',
      '--history',
      'runs',
      '--rate-card',
      'rates.json',
      '--json',
      '--send',
      '--to',
      'ops@example.com,finance@example.com',
      '--to',
      'cto@example.com',
      '--from',
      'audit@example.com',
      '--reply-to',
      'noc@example.com',
      '--configuration-set',
      'audit-events',
      '--time-zone',
      'Asia/Kolkata',
      '--workspace-name',
      'Acme prod',
      '--timeout',
      '90',
      '--usage-window',
      '60',
      '--usage-budget',
      '400',
      '--no-usage',
      '--verbose',
    );
    expect(o).toEqual({
      help: false,
      verbose: true,
      json: true,
      baseUrl: 'http://127.0.0.1:8080',
      key: { kind: 'secret', secretId: 'prod/dialnexa', field: 'token' },
      filters: { countryCode: 'IN', type: 'toll_free' },
      outDir: 'reports',
      historyDir: 'runs',
      rateCardFile: 'rates.json',
      send: true,
      from: 'audit@example.com',
      to: ['ops@example.com', 'finance@example.com', 'cto@example.com'],
      replyTo: ['noc@example.com'],
      configurationSet: 'audit-events',
      timeZone: 'Asia/Kolkata',
      workspaceName: 'Acme prod',
      timeoutSeconds: 90,
      usage: { check: false, windowDays: 60, budget: 400 },
    });
  });

  it('checks usage by default, over 30 days within 1,500 requests; rejects a window out of range', () => {
    expect(parse().usage).toEqual({ check: true, windowDays: 30, budget: 1500 });
    expect(() => parse('--usage-window', '0')).toThrow(/--usage-window/);
  });

  it('defaults the secret field to apiKey', () => {
    expect(parse('--secret-id', 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:dnx-AbCdEf').key).toEqual({
      kind: 'secret',
      secretId: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:dnx-AbCdEf',
      field: 'apiKey',
    });
  });

  it.each([
    [['--bogus'], '--bogus: is not an option; see --help'],
    [['report'], 'report: is not an option (options start with --); see --help'],
    [['--out'], '--out: needs a value'],
    [['--json=yes'], '--json: takes no value'],
    [['--base-url', 'http://api.dialnexa.com'], '--base-url: must be an https:// URL (got http://api.dialnexa.com)'],
    [['--type', 'fax'], '--type: "fax" is not a number type; use one of local, toll_free, mobile'],
    [['--country-code', 'India'], '--country-code: "India" is not a two-letter ISO country code (e.g. IN, US)'],
    [['--send', '--from', 'a@example.com'], '--to: is required with --send'],
    [['--send', '--to', 'a@example.com'], '--from: is required with --send'],
    [['--to', 'not-an-address'], '--to: "not-an-address" is not an email address'],
    [['--configuration-set', 'x'], '--configuration-set: only applies with --send'],
    [['--secret-field', 'apiKey'], '--secret-field: only applies with --secret-id'],
    [['--secret-id', 'has space'], '--secret-id: must be a Secrets Manager secret name or ARN'],
    [
      ['--time-zone', 'Mars/Olympus'],
      '--time-zone: "Mars/Olympus" is not an IANA time zone (e.g. UTC, Europe/London, Asia/Kolkata)',
    ],
    [['--timeout', '0'], '--timeout: must be a whole number from 1 to 86400 (got "0")'],
    [['--history', ' '], '--history: needs a directory'],
    [
      ['--workspace-name', 'a\nb'],
      '--workspace-name: must be 1-100 printable characters (it appears in the email subject)',
    ],
    [
      ['--workspace-name', '\u001b[31mred'],
      '--workspace-name: must be 1-100 printable characters (it appears in the email subject)',
    ],
  ])('rejects %j with one actionable line', (argv, message) => {
    const error = usageErrorOf(argv);
    expect(error.message).toBe(message);
    expect(error.message).not.toMatch(/\n/);
  });

  it('spots --help wherever it is', () => {
    expect(wantsHelp(['--json', '-h'])).toBe(true);
    expect(wantsHelp(['--help'])).toBe(true);
    expect(wantsHelp(['--json'])).toBe(false);
  });
});
