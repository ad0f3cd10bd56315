// Bad input at the edges, tried as a new user would: the installed command in a child process, so
// a hang is cut by the child's timeout and the environment is exactly the one given.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSesLocal } from '../../scripts/support/ses-local';
import { generatePortfolio, startSimulator, type Simulator } from '../../simulator';

const BIN = join(__dirname, '..', '..', 'bin', 'number-audit.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let sim: Simulator;
let tmp: string;

beforeAll(async () => {
  sim = await startSimulator({ numbers: generatePortfolio({ seed: 11, size: 150 }) });
  tmp = mkdtempSync(join(tmpdir(), 'number-audit-edges-'));
});
afterAll(async () => {
  await sim.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** The child sees only `env` plus PATH: no AWS settings leak in from this machine or jest's setup. */
function run(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, '--base-url', sim.url, '--time-zone', 'UTC', ...args],
      {
        env: {
          PATH: process.env.PATH ?? '',
          HOME: tmp,
          AWS_CONFIG_FILE: join(tmp, 'no-aws-config'),
          AWS_SHARED_CREDENTIALS_FILE: join(tmp, 'no-aws-credentials'),
          AWS_EC2_METADATA_DISABLED: 'true',
          DIALNEXA_API_KEY: sim.apiKey,
          ...env,
        },
        timeout: 15_000,
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? -1) : 0, stdout, stderr }),
    );
  });
}

describe('--out and --history are checked before the listing', () => {
  it.each([
    [
      '--out',
      '/proc/number-audit-x',
      /^number-audit: --out: cannot make \/proc\/number-audit-x \(ENOENT\); give a folder you can write, e.g\. --out \.\/number-audit-out\n$/,
    ],
    [
      '--history',
      '/proc/number-audit-x',
      /^number-audit: --history: cannot make \/proc\/number-audit-x \(ENOENT\); give a folder you can write, e.g\. --history \.\/number-audit-out\n$/,
    ],
    [
      '--out',
      '/dev/null/x',
      /^number-audit: --out: \/dev\/null is not a folder, so \/dev\/null\/x cannot be made; give a folder you can write/,
    ],
  ])('%s %s: exit 2 at once, the flag and the fix, no request', async (flag, dir, message) => {
    sim.resetLog();
    const r = await run([flag, dir]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(sim.requests).toHaveLength(0);
  });

  it('a file given as the folder: exit 2 naming it, no request', async () => {
    const file = join(tmp, 'a-file');
    writeFileSync(file, 'not a folder');
    sim.resetLog();
    const r = await run(['--out', file]);
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr: `number-audit: --out: ${file} is not a folder; give a folder you can write, e.g. --out ./number-audit-out\n`,
    });
    expect(sim.requests).toHaveLength(0);
  });

  it('a folder that does not exist yet is made, parents too', async () => {
    const dir = join(tmp, 'new', 'deeper', 'out');
    const r = await run(['--out', dir, '--json']);
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'audit.json'))).toBe(true);
  });
});

describe('AWS region and credentials are resolved before the listing', () => {
  const send = ['--send', '--to', 'ops@example.com', '--from', 'audit@example.com'];
  const creds = { AWS_ACCESS_KEY_ID: 'test-access-key', AWS_SECRET_ACCESS_KEY: 'test-secret-key' };

  it('--send without a region: exit 2, how to set it, nothing listed and no "may have been sent"', async () => {
    sim.resetLog();
    const r = await run(send, creds);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^number-audit: --send: needs an AWS region for SES and none is set \(Region is missing\); set AWS_REGION \(e\.g\. AWS_REGION=eu-west-1\) or a region in your AWS profile\. Nothing was listed or sent\n$/m,
    );
    expect(r.stderr).not.toMatch(/may (or may not )?have been sent/);
    expect(sim.requests).toHaveLength(0);
  });

  it('--secret-id without a region: exit 2 with how to set it, not a bare "Region is missing"', async () => {
    const r = await run(['--secret-id', 'prod/dialnexa'], creds);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^number-audit: --secret-id: needs an AWS region for Secrets Manager and none is set/m);
    expect(sim.requests).toHaveLength(0);
  });

  it('--send without credentials: exit 2 naming the ways to give them, nothing listed', async () => {
    sim.resetLog();
    const r = await run(send, { AWS_REGION: 'eu-west-1' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^number-audit: --send: could not get AWS credentials for SES \(Could not load credentials from any providers\); set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run `aws sso login`\. Nothing was listed or sent\n$/m,
    );
    expect(sim.requests).toHaveLength(0);
  });

  it('a real SES call says at most one line about the Node version, once', async () => {
    const ses = await startSesLocal();
    try {
      const r = await run(send, { ...creds, AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_SES: ses.endpoint });
      expect(r.code).toBe(0);
      expect(await ses.emails()).toHaveLength(1);
      const nodeLines = r.stderr.split('\n').filter((l) => /node/i.test(l));
      expect(r.stderr).not.toContain('NodeVersionSupportWarning');
      expect(nodeLines).toEqual(
        Number(process.versions.node.split('.')[0]) < 22
          ? [
              `number-audit: note: AWS SDK releases after January 2027 need Node 22 or later; this is Node ${process.versions.node}`,
            ]
          : [],
      );
      // The SDK's own opt-out silences the note as well.
      const quiet = await run(send, {
        ...creds,
        AWS_REGION: 'eu-west-1',
        AWS_ENDPOINT_URL_SES: ses.endpoint,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      });
      expect(quiet.code).toBe(0);
      expect(quiet.stderr).not.toMatch(/node/i);
    } finally {
      await ses.close();
    }
  });
});
