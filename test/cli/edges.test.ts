// Bad input at the edges, tried as a new user would: the installed command in a child process, so
// a hang is cut by the child's timeout and the environment is exactly the one given.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
