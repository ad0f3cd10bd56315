// The installed command: bin/number-audit.js loads the TypeScript CLI through tsx, and the
// process exits on its own with the CLI's exit code.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { generatePortfolio, startSimulator, type Simulator } from '../../simulator';

const BIN = join(__dirname, '..', '..', 'bin', 'number-audit.js');

function run(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
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
