// The CLI run in-process against real loopback servers: the DialNexa simulator, the local SES
// emulator and the local Secrets Manager stand-in.
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { mockClient } from 'aws-sdk-client-mock';
import { main, type CliDeps } from '../../lambda/cli/main';
import { PHONE_NUMBERS_PATH } from '../../lambda/adapters/dialnexa/listing';
import type { AuditJson } from '../../lambda/core/audit-json';
import { generateAgents, generatePortfolio, startSimulator, type SimRecord, type Simulator } from '../../simulator';
import { startSecretsLocal, type SecretsLocal } from '../../scripts/support/secrets-local';
import { startSesLocal, type SesLocal } from '../../scripts/support/ses-local';
import { startChangingSimulator } from './incomplete-listing';

const KEY = 'dnx_live_7f3a9c2e41b04d8e9a55SECRET';
const NO_NUMBERS_KEY = 'dnx_live_scoped_to_agents_only_0001';
const SEED = 4242;
const SIZE = 230; // three pages of 100
const NOW = new Date('2026-11-30T09:00:00Z');
const agents = generateAgents(SEED, 4);
const portfolio = () => generatePortfolio({ seed: SEED, size: SIZE, agentIds: agents.map((a) => a.id) });
// The same seed in its one clean shape: the truth to check the audit against, independent of
// how the client and the core read the mixed field variants.
const truth = generatePortfolio({ seed: SEED, size: SIZE, agentIds: agents.map((a) => a.id), variants: 'canonical' });
const fast: CliDeps['clientOverrides'] = { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 };

let sim: Simulator;
let tmp: string;
const printed: string[] = [];

beforeAll(async () => {
  sim = await startSimulator({
    numbers: portfolio(),
    agents,
    keys: { [KEY]: 'full', [NO_NUMBERS_KEY]: 'no-phone-numbers' },
  });
  tmp = await mkdtemp(join(tmpdir(), 'number-audit-cli-'));
});

afterAll(async () => {
  await sim.close();
  await rm(tmp, { recursive: true, force: true });
  // Whatever any test printed: the key never once.
  expect(printed.join('\n')).not.toContain(KEY);
});

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(
  argv: string[],
  options: { env?: Record<string, string | undefined>; isTTY?: boolean; deps?: CliDeps; baseUrl?: string | null } = {},
): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const base = options.baseUrl === null ? [] : ['--base-url', options.baseUrl ?? sim.url];
  const code = await main(
    [...base, '--time-zone', 'UTC', ...argv],
    {
      stdout: {
        write: (t: string | Uint8Array) => out.push(typeof t === 'string' ? t : Buffer.from(t).toString('utf8')),
      },
      stderr: { write: (t: string) => err.push(t) },
      // As test/setup-env.js does for the SDK: no note about the Node version.
      env: { DIALNEXA_API_KEY: KEY, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...options.env },
      isTTY: options.isTTY ?? false,
    },
    { now: () => NOW, ...options.deps },
  );
  printed.push(...out, ...err);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

function countBy(records: SimRecord[], key: (r: SimRecord) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of records) out[key(r)] = (out[key(r)] ?? 0) + 1;
  return out;
}

const isUnrouted = (r: SimRecord) => r.status === 'active' && !r.inbound_agent_id;

describe('number-audit CLI', () => {
  it('--json prints the audit JSON and nothing else, and it agrees with the inventory', async () => {
    const r = await cli(['--json']);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('{')).toBe(true);
    const json = JSON.parse(r.stdout) as AuditJson;
    expect(json.schemaVersion).toBe(1);
    expect(json.complete).toBe(true);
    expect(json.total).toBe(SIZE);
    expect(json.byCountry).toEqual(countBy(truth, (t) => String(t.country_code)));
    expect(json.unrouted.map((u) => u.id).sort()).toEqual(
      truth
        .filter(isUnrouted)
        .map((t) => t.id)
        .sort(),
    );
    expect(json.generatedAt).toBe(NOW.toISOString());
    // Progress went to stderr, in plain lines (not a terminal).
    expect(r.stderr).toContain('fetched page 1 of 3');
    expect(r.stderr).toContain('fetched page 3 of 3');
    expect(r.stderr).not.toContain('\r');
  });

  it('prints a country x type summary without --json', async () => {
    const r = await cli([]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^DialNexa workspace: 230 numbers \(complete\)/);
    expect(r.stdout).toMatch(/^Country\s+Local\s+Toll-free\s+Mobile/m);
    expect(r.stdout).toContain(`Unrouted (active, no inbound agent): ${truth.filter(isUnrouted).length}`);
    expect(r.stdout).toContain('not sent (dry run');
  });

  it('--out fails the run when a file cannot be written, after writing the others and printing the JSON', async () => {
    for (const blocked of ['audit.json', 'numbers.csv']) {
      const dir = join(tmp, `out-blocked-${blocked}`);
      // A folder where the file goes: opening it for writing fails (EISDIR).
      await mkdir(join(dir, blocked), { recursive: true });
      const r = await cli(['--out', dir, '--json']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/EISDIR/);
      expect(JSON.parse(r.stdout).total).toBe(SIZE);
      const others = ['audit.json', 'email.eml', 'numbers.csv', 'report.html', 'report.txt'].filter(
        (f) => f !== blocked,
      );
      for (const file of others) expect((await readFile(join(dir, file))).length).toBeGreaterThan(0);
      // Whole, not begun: the run ends only once every write has ended.
      if (blocked !== 'audit.json') expect(await readFile(join(dir, 'audit.json'), 'utf8')).toBe(r.stdout);
    }
  });

  it('--out writes the five files, the same audit as --json', async () => {
    const dir = join(tmp, 'out-all');
    const r = await cli(['--out', dir, '--json']);
    expect(r.code).toBe(0);
    expect((await readdir(dir)).sort()).toEqual([
      'audit.json',
      'email.eml',
      'numbers.csv',
      'report.html',
      'report.txt',
    ]);
    expect(JSON.parse(await readFile(join(dir, 'audit.json'), 'utf8'))).toEqual(JSON.parse(r.stdout));
    const csvLines = (await readFile(join(dir, 'numbers.csv'), 'utf8')).trimEnd().split(/\r?\n/);
    expect(csvLines).toHaveLength(SIZE + 1);
    const eml = await readFile(join(dir, 'email.eml'), 'utf8');
    // A dry run still builds the whole message, addressed to placeholders.
    expect(eml).toMatch(/^To: report-reader@example\.com/m);
    expect(eml).toMatch(/^Subject: /m);
    expect(await readFile(join(dir, 'report.html'), 'utf8')).toContain('DialNexa workspace');
  });

  it('--country-code and --type filter at the API and in the report', async () => {
    sim.resetLog();
    const r = await cli(['--json', '--country-code', 'gb', '--type', 'mobile']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as AuditJson;
    expect(json.filters).toEqual({ countryCode: 'GB', type: 'mobile', appliedBy: 'api' });
    expect(json.total).toBe(truth.filter((t) => t.country_code === 'GB' && t.type === 'mobile').length);
    expect(json.total).toBeGreaterThan(0);
    const listing = sim.requests.filter((r) => r.path === PHONE_NUMBERS_PATH);
    expect(listing[0].query).toMatchObject({ country_code: 'GB', type: 'mobile' });
  });

  it('--time-zone and --workspace-name shape the report', async () => {
    const dir = join(tmp, 'out-tz');
    const r = await cli(['--out', dir, '--time-zone', 'Asia/Kolkata', '--workspace-name', 'Acme prod']);
    expect(r.code).toBe(0);
    expect(await readFile(join(dir, 'report.txt'), 'utf8')).toContain('14:30 GMT+5:30 (Asia/Kolkata)');
    expect(JSON.parse(await readFile(join(dir, 'audit.json'), 'utf8')).workspace).toBe('Acme prod');
    expect(r.stdout).toMatch(/^Acme prod: 230 numbers/);
  });

  it('--help prints the usage and touches nothing', async () => {
    sim.resetLog();
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: number-audit \[options\]/);
    expect(r.stdout).toContain('--secret-id ID');
    expect(r.stderr).toBe('');
    expect(sim.requests).toHaveLength(0);
  });

  it('draws a one-line progress bar on a terminal', async () => {
    const r = await cli(['--json'], { isTTY: true });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('\rlisting numbers [');
    expect(r.stderr).toContain('3/3 pages');
    expect(r.stderr.endsWith('\n')).toBe(true);
  });

  describe('exit codes', () => {
    it('2 for a bad flag, before any request', async () => {
      sim.resetLog();
      const r = await cli(['--tpye', 'mobile']);
      expect(r).toEqual({ code: 2, stdout: '', stderr: 'number-audit: --tpye: is not an option; see --help\n' });
      expect(sim.requests).toHaveLength(0);
    });

    it('2 when no key is configured, saying where to put one', async () => {
      const r = await cli([], { env: { DIALNEXA_API_KEY: undefined } });
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        'number-audit: DIALNEXA_API_KEY: is not set or is empty; set it to the DialNexa API key (or pass --secret-id ID)\n',
      );
    });

    it('3 for a rejected key (401), one line, no stack', async () => {
      const r = await cli(['--json'], { env: { DIALNEXA_API_KEY: 'dnx_live_revoked_key_000000' } });
      expect(r.code).toBe(3);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^number-audit: DialNexa rejected the API key .*\(401\)/);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    });

    it('3 for a key that may not read numbers (403)', async () => {
      const r = await cli([], { env: { DIALNEXA_API_KEY: NO_NUMBERS_KEY } });
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/403/);
      expect(r.stderr).not.toContain(NO_NUMBERS_KEY);
    });

    it('4 for an incomplete listing, after writing every file', async () => {
      const moving = await startChangingSimulator({ numbers: portfolio(), agents, keys: { [KEY]: 'full' } });
      try {
        const dir = join(tmp, 'out-incomplete');
        const r = await cli(['--out', dir, '--json'], { baseUrl: moving.url });
        expect(r.code).toBe(4);
        const json = JSON.parse(r.stdout) as AuditJson;
        expect(json.complete).toBe(false);
        expect(json.incompleteReason).toMatch(/re-list/);
        expect(JSON.parse(await readFile(join(dir, 'audit.json'), 'utf8')).complete).toBe(false);
        expect(await readFile(join(dir, 'report.html'), 'utf8')).toContain('INCOMPLETE');
        expect(r.stderr).toMatch(
          /number-audit: the listing is incomplete \(.*\); the report is marked INCOMPLETE and the files were written/,
        );
      } finally {
        await moving.close();
      }
    });

    it('1 when the API is down; the stack only with --verbose', async () => {
      const down = await startSimulator({ numbers: [] });
      const url = down.url;
      await down.close();
      const quiet = await cli([], { baseUrl: url, deps: { clientOverrides: fast } });
      expect(quiet.code).toBe(1);
      expect(quiet.stderr).toMatch(
        /^number-audit: could not reach DialNexa at http:\/\/127\.0\.0\.1:\d+ .*ECONNREFUSED/,
      );
      expect(quiet.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(quiet.stderr).not.toMatch(/\n\s+at /);

      const verbose = await cli(['--verbose'], { baseUrl: url, deps: { clientOverrides: fast } });
      expect(verbose.code).toBe(1);
      expect(verbose.stderr).toMatch(/\n\s+at /);
    });

    it('1 when --timeout passes while the API hangs', async () => {
      const hanging = await startSimulator({ numbers: portfolio(), keys: { [KEY]: 'full' } });
      try {
        hanging.enqueueFault({ kind: 'hang' }, { page: 1 });
        const r = await cli(['--timeout', '1'], { baseUrl: hanging.url });
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(/^number-audit: listing did not finish before the run's deadline/);
        // The deadline ended the hanging request itself: no answer, no retry after a request timeout.
        expect(hanging.requests.filter((r) => r.path === PHONE_NUMBERS_PATH)).toEqual([
          expect.objectContaining({ query: expect.objectContaining({ page: '1' }), fault: 'hang', status: 0 }),
        ]);
      } finally {
        await hanging.close();
      }
    });
  });

  describe('the key', () => {
    it('never appears in any output, even with --verbose, on success or failure', async () => {
      const ok = await cli(['--verbose', '--json']);
      expect(ok.code).toBe(0);
      expect(ok.stderr).toContain('number-audit: info: listing finished');
      const bad = await cli(['--verbose'], { env: { DIALNEXA_API_KEY: 'dnx_live_wrong_but_secret_42' } });
      expect(bad.code).toBe(3);
      for (const text of [ok.stdout, ok.stderr, bad.stdout, bad.stderr]) {
        expect(text).not.toContain(KEY);
        expect(text).not.toContain('dnx_live_wrong_but_secret_42');
      }
    });

    it('is scrubbed even when the data itself carries it', async () => {
      const leaky = await startSimulator({
        numbers: [
          {
            id: 'phn_leak',
            phone_number: '+442079460000',
            country_code: 'GB',
            type: 'local',
            status: 'active',
            nickname: `pasted ${KEY} here`,
          },
        ],
        keys: { [KEY]: 'full' },
      });
      try {
        const dir = join(tmp, 'out-leak');
        const r = await cli(['--json', '--verbose', '--out', dir], { baseUrl: leaky.url });
        expect(r.code).toBe(0);
        expect((JSON.parse(r.stdout) as AuditJson).unrouted[0].nickname).toBe('pasted [redacted] here');
        expect(await readFile(join(dir, 'audit.json'), 'utf8')).not.toContain(KEY);
        expect(await readFile(join(dir, 'numbers.csv'), 'utf8')).not.toContain(KEY);
      } finally {
        await leaky.close();
      }
    });
  });

  describe('--history and --rate-card', () => {
    it('--history keeps each run and reports what changed since the last complete one', async () => {
      const dir = join(tmp, 'history');
      const moving = await startSimulator({ numbers: portfolio(), agents, keys: { [KEY]: 'full' } });
      try {
        const first = await cli(['--history', dir, '--json'], { baseUrl: moving.url });
        expect(first.code).toBe(0);
        const firstJson = JSON.parse(first.stdout) as AuditJson;
        expect(firstJson.changes).toBeNull();
        expect(firstJson.workspaces[0]).toMatchObject({ ok: true, changesStatus: 'first-run' });

        const gone = moving.inventory()[5].id;
        moving.remove(gone);
        const later = new Date(NOW.getTime() + 7 * 24 * 3600 * 1000);
        const second = await cli(['--history', dir], { baseUrl: moving.url, deps: { now: () => later } });
        expect(second.code).toBe(0);
        expect(second.stdout).toContain(`Changes since ${NOW.toISOString()}: +0 added, -1 removed`);
        expect(second.stdout).toMatch(/^History: .*history\/reports\/dialnexa-workspace\/2026\/12\/07\//m);

        const third = await cli(['--history', dir, '--json'], { baseUrl: moving.url, deps: { now: () => later } });
        const changes = (JSON.parse(third.stdout) as AuditJson).changes;
        // Compared with the second run, not the first: nothing changed since.
        expect(changes).toMatchObject({ previousGeneratedAt: later.toISOString(), added: [], removed: [] });
      } finally {
        await moving.close();
      }
    });

    it('--rate-card prices the numbers the API gives no cost for', async () => {
      const file = join(tmp, 'rates.json');
      await writeFile(file, JSON.stringify({ currency: 'USD', rates: { '*': { '*': 1 } } }));
      const r = await cli(['--json', '--rate-card', file]);
      expect(r.code).toBe(0);
      const { cost } = JSON.parse(r.stdout) as AuditJson;
      const unpriced = truth.filter((t) => t.monthly_cost_usd === undefined).length;
      const apiCents = truth.reduce((sum, t) => sum + Math.round(Number(t.monthly_cost_usd ?? 0) * 100), 0);
      expect(cost.unknownCount).toBe(0);
      expect(cost.totalMonthly).toBeCloseTo((apiCents + unpriced * 100) / 100, 2);
    });

    it('2 for a rate card that is missing or wrong', async () => {
      const missing = await cli(['--rate-card', join(tmp, 'nope.json')]);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/^number-audit: --rate-card: cannot read .*nope\.json \(ENOENT\)\n$/);
      const file = join(tmp, 'bad-rates.json');
      await writeFile(file, JSON.stringify({ rates: { India: { local: 1 } } }));
      const bad = await cli(['--rate-card', file]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toBe(
        'number-audit: --rate-card: rates: "India" is not a two-letter ISO country code (e.g. US, IN) or *\n',
      );
    });
  });

  describe('--inventory', () => {
    it('reconciles the numbers with the file: audit.json and the summary files', async () => {
      const [first, second] = truth;
      const file = join(tmp, 'inventory.csv');
      await writeFile(
        file,
        `\uFEFFphone_number,cost_center,owner\r\n${first.phone_number},CC-1,maria\r\n+44 20 7946 0000,CC-2,sam\r\nbad,CC-1,\r\n`,
      );
      const r = await cli(['--json', '--inventory', file]);
      expect(r.code).toBe(0);
      const json = JSON.parse(r.stdout) as AuditJson;
      expect(json.inventory).toMatchObject({
        rows: 3,
        matched: 1,
        notInDialNexa: [{ phoneNumber: '+442079460000', line: 3, costCenter: 'CC-2', owner: 'sam' }],
        invalidRows: [{ line: 4 }],
      });
      expect(json.inventory?.notInInventory.map((n) => n.phoneNumber)).toContain(second.phone_number);
      expect(json.inventory?.byCostCenter['CC-1']?.numbers).toBe(1);
    });

    it.each([
      ['without a phone_number column', 'number,owner\n+14155550100,a\n', /no phone_number column/],
      ['that is not CSV', 'phone_number\n"+14155550100\n', /not valid CSV/],
    ])('2 before any listing for a file %s', async (_what, content, reason) => {
      const file = join(tmp, 'bad-inventory.csv');
      await writeFile(file, content);
      sim.resetLog();
      const r = await cli(['--inventory', file]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^number-audit: --inventory: .*bad-inventory\.csv: /);
      expect(r.stderr).toMatch(reason);
      expect(sim.requests).toHaveLength(0);
    });

    it('2 for a file that is missing', async () => {
      const r = await cli(['--inventory', join(tmp, 'nope.csv')]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--inventory: cannot read .*nope\.csv \(ENOENT\)/);
    });
  });

  describe('--send', () => {
    let ses: SesLocal;
    beforeAll(async () => {
      ses = await startSesLocal();
    });
    afterAll(async () => {
      await ses.close();
    });

    it('emails the report through SES (AWS_ENDPOINT_URL_SES) and says so', async () => {
      await ses.clear();
      const dir = join(tmp, 'out-send');
      const r = await cli(
        [
          '--send',
          '--to',
          'ops@example.com,finance@example.com',
          '--from',
          'audit@example.com',
          '--reply-to',
          'noc@example.com',
          '--out',
          dir,
        ],
        { env: { AWS_ENDPOINT_URL_SES: ses.endpoint, AWS_REGION: 'eu-west-1' } },
      );
      expect(r.code).toBe(0);
      const emails = await ses.emails();
      expect(emails).toHaveLength(1);
      // The emulator joins the To header into one string.
      expect(emails[0].destination.to.join(', ')).toBe('ops@example.com, finance@example.com');
      expect(emails[0].from).toBe('audit@example.com');
      expect(emails[0].replyTo).toEqual(['noc@example.com']);
      expect(emails[0].subject).toMatch(/DialNexa numbers: 230 total/);
      expect(emails[0].attachments.map((a) => a.filename)).toEqual(['phone-numbers-2026-11-30.csv']);
      expect(r.stdout).toMatch(/Email: sent to ops@example\.com, finance@example\.com \(SES message id \S+\)/);
      // email.eml is the message that was sent.
      const eml = await readFile(join(dir, 'email.eml'), 'utf8');
      expect(eml).toMatch(/^To: ops@example\.com, finance@example\.com\r?$/m);
      expect(eml).toMatch(/^Reply-To: noc@example\.com\r?$/m);
    });

    it('passes --configuration-set to SES and turns a refusal into exit 1 with what to fix', async () => {
      const client = new SESClient({ region: 'eu-west-1' });
      const mocked = mockClient(client);
      mocked
        .on(SendRawEmailCommand)
        .resolvesOnce({ MessageId: 'm-1' })
        .rejects(
          Object.assign(new Error('Email address is not verified.'), {
            name: 'MessageRejected',
            $metadata: { httpStatusCode: 400 },
          }),
        );
      const argv = [
        '--send',
        '--to',
        'ops@example.com',
        '--from',
        'audit@example.com',
        '--configuration-set',
        'audit-events',
      ];

      const ok = await cli(argv, { deps: { sesClient: client } });
      expect(ok.code).toBe(0);
      const input = mocked.commandCalls(SendRawEmailCommand)[0].args[0].input;
      expect(input).toMatchObject({
        ConfigurationSetName: 'audit-events',
        Source: 'audit@example.com',
        Destinations: ['ops@example.com'],
      });

      const refused = await cli(argv, { deps: { sesClient: client } });
      expect(refused.code).toBe(1);
      const lastLine = refused.stderr.trimEnd().split('\n').pop();
      expect(lastLine).toMatch(
        /^number-audit: SES rejected the message: .*Verify the sender identity audit@example\.com/,
      );
    });
  });

  describe('--secret-id', () => {
    let secrets: SecretsLocal;
    beforeAll(async () => {
      secrets = await startSecretsLocal({
        'prod/dialnexa': JSON.stringify({ token: KEY }),
        'prod/revoked': 'dnx_live_revoked_in_secret_77',
      });
    });
    afterAll(async () => {
      await secrets.close();
    });
    const awsEnv = () => ({
      DIALNEXA_API_KEY: undefined,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
      AWS_REGION: 'eu-west-1',
    });

    it('reads the key from Secrets Manager (--secret-field picks the JSON field)', async () => {
      const r = await cli(['--secret-id', 'prod/dialnexa', '--secret-field', 'token', '--json'], { env: awsEnv() });
      expect(r.code).toBe(0);
      expect((JSON.parse(r.stdout) as AuditJson).total).toBe(SIZE);
      expect(secrets.calls('prod/dialnexa')).toBeGreaterThanOrEqual(1);
    });

    it('2 for a secret that does not exist', async () => {
      const r = await cli(['--secret-id', 'prod/missing'], { env: awsEnv() });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^number-audit: --secret-id: secret "prod\/missing" was not found in Secrets Manager/);
    });

    it('3 for a revoked key from a secret, which is never printed', async () => {
      const r = await cli(['--secret-id', 'prod/revoked', '--verbose'], { env: awsEnv() });
      expect(r.code).toBe(3);
      expect(r.stderr).toContain('secret "prod/revoked"');
      expect(r.stderr).not.toContain('dnx_live_revoked_in_secret_77');
    });
  });
});
