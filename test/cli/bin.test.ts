// The installed command: bin/number-audit.js loads the CLI bundle (built by the jest globalSetup,
// as `npm ci` builds it through `prepare`), and the process exits on its own with the CLI's exit code.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePortfolio, startSimulator, type Simulator } from '../../simulator';

const BIN = join(__dirname, '..', '..', 'bin', 'number-audit.js');
const FORBID_TYPESCRIPT = join(__dirname, 'fixtures', 'forbid-typescript.js');

function run(
  args: string[],
  env: Record<string, string>,
  bin = BIN,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { env: { ...process.env, ...env }, timeout: 20_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? -1) : 0, stdout, stderr });
      },
    );
  });
}

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ numbers: generatePortfolio({ seed: 9, size: 120 }) });
});
afterAll(async () => {
  await sim.close();
});

it('runs an audit and exits 0 with the JSON on stdout', async () => {
  const r = await run(['--base-url', sim.url, '--json'], { DIALNEXA_API_KEY: sim.apiKey });
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout).total).toBe(120);
  expect(r.stderr).toContain('fetched page 2 of 2');
});

it('exits 2 on a bad flag', async () => {
  const r = await run(['--nope'], {});
  expect(r).toEqual({ code: 2, stdout: '', stderr: 'number-audit: --nope: is not an option; see --help\n' });
});

it('starts in plain Node, without tsx or a TypeScript compile', async () => {
  const r = await run(['--help'], { NODE_OPTIONS: `--require ${FORBID_TYPESCRIPT}` });
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^Usage: number-audit \[options\]/);
  expect(r.stderr).toBe('');
});

it('says how to build the CLI when the bundle is missing', async () => {
  // A copy of the bin in a folder with no dist/ next to it: a clone installed with --ignore-scripts.
  const dir = mkdtempSync(join(tmpdir(), 'number-audit-bin-'));
  try {
    mkdirSync(join(dir, 'bin'));
    copyFileSync(BIN, join(dir, 'bin', 'number-audit.js'));
    const r = await run(['--help'], {}, join(dir, 'bin', 'number-audit.js'));
    expect(r).toEqual({
      code: 1,
      stdout: '',
      stderr: 'number-audit: the CLI is not built; run `npm run build:cli` in the project folder\n',
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('compiles the bundle from the code cache the build wrote, and never from a cache made for other code', async () => {
  const check = [
    `const { CODE_CACHE, compileBundle } = require(${JSON.stringify(BIN)});`,
    `const cache = require('node:fs').readFileSync(CODE_CACHE);`,
    `const stale = Buffer.concat([Buffer.alloc(32), cache.subarray(32)]);`,
    `const used = compileBundle(cache).script.cachedDataRejected;`,
    `const withStale = compileBundle(stale).script.cachedDataRejected;`,
    `process.stdout.write(JSON.stringify({ used, withStale: withStale ?? 'not given' }));`,
  ].join('\n');
  const r = await new Promise<string>((resolve, reject) =>
    execFile(process.execPath, ['-e', check], (error, stdout) => (error ? reject(error) : resolve(stdout))),
  );
  // false: V8 took the cache; "not given": the bin did not hand V8 a cache whose hash is not the bundle's.
  expect(JSON.parse(r)).toEqual({ used: false, withStale: 'not given' });
});

it('names the TypeScript sources in a --verbose stack trace', async () => {
  const r = await run(['--base-url', sim.url, '--verbose'], { DIALNEXA_API_KEY: 'dnx_wrong_key_for_this_test' });
  expect(r.code).toBe(3);
  expect(r.stderr).toMatch(/^AuthError: /m);
  expect(r.stderr).toMatch(/^ {4}at \S+ \(.*lambda\/adapters\/dialnexa\/failures\.ts:\d+:\d+\)$/m);
  expect(r.stderr).not.toContain('dist/cli/number-audit.js');
});

it('exits as soon as the listing fails, stopping the reads started beside it (no retry lingers)', async () => {
  const key = 'dnx_live_scoped_to_agents_only_0002';
  const denied = await startSimulator({
    numbers: generatePortfolio({ seed: 9, size: 10 }),
    keys: { [key]: 'no-phone-numbers' },
  });
  try {
    // Without the stop, the agents read would wait out this Retry-After and try again, keeping the process alive.
    denied.enqueueFault({ kind: 'status', status: 429, retryAfter: '30' }, { path: '/v1/agents' });
    const started = Date.now();
    const r = await run(['--base-url', denied.url], { DIALNEXA_API_KEY: key });
    expect(r.code).toBe(3);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(denied.requests.filter((q) => q.path === '/v1/agents').length).toBeLessThanOrEqual(1);
  } finally {
    await denied.close();
  }
});
