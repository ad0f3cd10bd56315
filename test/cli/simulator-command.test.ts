// `npm run simulator` (scripts/simulator.ts): started as its own process the way npm starts it
// (through tsx), it prints a base URL, an API key and a command line that really work against it,
// and stops cleanly on Ctrl-C (SIGINT).
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { LIST_PATH } from '../../simulator';
import { parseSimulatorArgs, readyText, SimulatorUsageError } from '../../scripts/simulator';
import { API_KEY_VAR } from '../../lambda/cli/args';

const ROOT = join(__dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

interface Started {
  child: ChildProcess;
  url: string;
  apiKey: string;
  command: string;
  output: () => string;
  exited: Promise<number | null>;
}

/** Resolves once the ready text is out; rejects if the process ends first. */
function startCommand(args: string[]): Promise<Started> {
  // Its own process group, so cleanup can also reach the node process tsx starts.
  const child = spawn(process.execPath, [TSX, join(ROOT, 'scripts', 'simulator.ts'), ...args], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stderr?.on('data', (chunk) => {
      stderr += chunk;
    });
    child.stdout?.on('data', (chunk) => {
      stdout += chunk;
      const url = /^Base URL: (\S+)$/m.exec(stdout)?.[1];
      const apiKey = /^API key: +(\S+)$/m.exec(stdout)?.[1];
      const command = /^ {2}(.*npx number-audit.*)$/m.exec(stdout)?.[1];
      if (url && apiKey && command && stdout.includes('Ctrl-C stops it.'))
        resolve({ child, url, apiKey, command, output: () => stdout, exited });
    });
    void exited.then((code) => reject(new Error(`simulator exited (${code}) before it was ready: ${stderr}`)));
  });
}

/** A port nothing listens on right now (the OS picks it; released before the simulator takes it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as AddressInfo;
      server.close(() => resolve(address.port));
    });
  });
}

function sh(command: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('/bin/sh', ['-c', command], { cwd: ROOT, timeout: 30_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? -1) : 0, stdout, stderr }),
    );
  });
}

describe('npm run simulator', () => {
  let started: Started | undefined;

  afterEach(() => {
    // A failed test must not leave the server behind.
    if (started && started.child.exitCode === null && started.child.pid) {
      try {
        process.kill(-started.child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    started = undefined;
  });

  it('serves the listing on the given port with the printed key, runs the printed command, stops on SIGINT', async () => {
    const port = await freePort();
    started = await startCommand(['--size', '30', '--port', String(port)]);
    expect(started.url).toBe(`http://127.0.0.1:${port}`);

    const res = await fetch(`${started.url}${LIST_PATH}?page=1&limit=100`, {
      headers: { Authorization: `Bearer ${started.apiKey}` },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: unknown[]; meta: { total: number } };
    expect(body.meta.total).toBe(30);
    expect(body.data).toHaveLength(30);

    expect(started.command).toBe(`${API_KEY_VAR}=${started.apiKey} npx number-audit --base-url ${started.url}`);
    const audit = await sh(`${started.command} --json`);
    expect(audit.code).toBe(0);
    expect(JSON.parse(audit.stdout).total).toBe(30);

    started.child.kill('SIGINT');
    expect(await started.exited).toBe(0);
    expect(started.output()).toMatch(/SIGINT: stopping after \d+ requests\.\n$/);
  }, 60_000);
});

describe('parseSimulatorArgs', () => {
  it('defaults to the demo workspace on any free port, without faults', () => {
    const command = parseSimulatorArgs([]);
    expect(command).toMatchObject({ help: false, size: 1250, seed: 20261130 });
    expect(command.options).toMatchObject({ port: 0, latencyMs: 0 });
    expect(command.options.rateLimit).toBeUndefined();
    expect(command.options.randomFaults).toBeUndefined();
  });

  it('maps the fault flags onto the simulator options, seeded by the portfolio seed', () => {
    const command = parseSimulatorArgs([
      '--port=8123',
      '--seed=7',
      '--rate-limit=5',
      '--throttle-rate=0.1',
      '--error-rate=0.05',
      '--envelope=items-total',
    ]);
    expect(command.options).toMatchObject({
      port: 8123,
      envelope: 'items-total',
      rateLimit: { limit: 5, windowMs: 1000 },
      randomFaults: { seed: 7, rate429: 0.1, rate5xx: 0.05 },
    });
    expect(readyText('http://127.0.0.1:8123', 'k', command)).toContain(
      'random faults on list requests: 10% 429, 5% 5xx',
    );
  });

  it.each([
    [['--size', 'ten'], '--size: expected 0 to 1000000'],
    [['--port', '70000'], '--port: expected 0 to 65535'],
    [['--error-rate', '2'], '--error-rate: expected 0 to 1'],
    [['--throttle-rate', '0.6', '--error-rate', '0.6'], '--throttle-rate and --error-rate add up to more than 1'],
    [['--envelope', 'xml'], '--envelope: expected data-meta or items-total'],
  ])('refuses %j', (argv, message) => {
    expect(() => parseSimulatorArgs(argv)).toThrow(new SimulatorUsageError(message));
  });

  it('refuses an unknown flag as a usage error', () => {
    expect(() => parseSimulatorArgs(['--nope'])).toThrow(SimulatorUsageError);
  });
});
