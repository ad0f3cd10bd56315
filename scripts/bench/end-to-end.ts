// End to end: what a user waits for. The built CLI (the package's bin, as `npx number-audit` runs
// it) in a child process against the simulator in its own process, 20k numbers at 100 ms, writing
// its files and printing --json; against the documented sequential loop and the ideal bound. The
// CLI's own --verbose timings split the wall time into phases. Also: how long the bin takes to
// start (--help) beyond a bare `node -e 0`.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { API_KEY_VAR } from '../../lambda/cli/args';
import { PHASES, type Phase } from '../../lambda/cli/timings';
import { CLI_BUNDLE } from '../build-cli';
import { sequentialListing } from './baseline';
import { concurrencyBound, type Bound } from './bounds';
import { CLIENT_CONCURRENCY, PAGE_SIZE } from './listing';
import { RemoteSimulator } from './sim-remote';
import { median, note, round } from './stats';

const REPO = join(__dirname, '..', '..');
const BIN = join(REPO, 'bin', 'number-audit.js');
export const E2E = { size: 20_000, latencyMs: 100, seed: 6 };
export const MIN_SPEEDUP = 6;
export const MAX_OVERHEAD_MS = 500;
export const MAX_START_OVER_NODE_MS = 150;
const START_RUNS = 5;

export interface CliRun {
  wallMs: number;
  phasesMs: Record<Phase, number>;
  /** The CLI's own total (from its process start). */
  cliTotalMs: number;
}

export interface EndToEndResult {
  numbers: number;
  latencyMs: number;
  pages: number;
  runs: CliRun[];
  /** The median run by wall time. */
  median: CliRun;
  baselineMs: number;
  speedup: number;
  bound: Bound;
  overheadMs: number;
  start: { binHelpMs: number; nodeMs: number; overMs: number; binRunsMs: number[]; nodeRunsMs: number[] };
  sourceMaps: string;
  floors: Record<string, boolean>;
}

const TIMINGS = /timings: (.+), total (\d+) ms/;

function parseTimings(stderr: string): { phasesMs: Record<Phase, number>; cliTotalMs: number } {
  const m = TIMINGS.exec(stderr);
  if (!m) throw new Error(`the CLI printed no timings line (stderr: ${stderr.slice(-2000)})`);
  const phasesMs = {} as Record<Phase, number>;
  for (const part of m[1].split(', ')) {
    const at = part.lastIndexOf(' ', part.length - 4);
    const phase = part.slice(0, at) as Phase;
    if (PHASES.includes(phase)) phasesMs[phase] = Number(part.slice(at + 1, -3));
  }
  return { phasesMs, cliTotalMs: Number(m[2]) };
}

/** One CLI run; wall time from spawn to exit, measured here. */
function runCli(url: string, apiKey: string, outDir: string): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [BIN, '--base-url', url, '--out', outDir, '--json', '--verbose'], {
      env: { PATH: process.env.PATH ?? '', [API_KEY_VAR]: apiKey, TZ: 'UTC' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdoutBytes = 0;
    child.stdout.on('data', (b: Buffer) => (stdoutBytes += b.length));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      if (code !== 0 || stdoutBytes === 0) {
        reject(new Error(`number-audit exited ${code} (stderr: ${stderr.slice(-2000)})`));
        return;
      }
      resolve({ wallMs: round(wallMs), ...parseTimings(stderr) });
    });
  });
}

function timeProcess(args: string[]): number {
  const started = performance.now();
  const res = spawnSync(process.execPath, args, { stdio: 'ignore' });
  if (res.status !== 0) throw new Error(`node ${args.join(' ')} exited ${res.status}`);
  return performance.now() - started;
}

/** Median of 5 each, alternating, so a burst of load hits both. */
export function measureStart(): EndToEndResult['start'] {
  const binRunsMs: number[] = [];
  const nodeRunsMs: number[] = [];
  timeProcess([BIN, '--help']); // file cache; not counted
  for (let i = 0; i < START_RUNS; i++) {
    nodeRunsMs.push(round(timeProcess(['-e', '0']), 1));
    binRunsMs.push(round(timeProcess([BIN, '--help']), 1));
  }
  const binHelpMs = round(median(binRunsMs), 1);
  const nodeMs = round(median(nodeRunsMs), 1);
  return { binHelpMs, nodeMs, overMs: round(binHelpMs - nodeMs, 1), binRunsMs, nodeRunsMs };
}

export async function runEndToEndBench(workDir: string, runs = 5): Promise<EndToEndResult> {
  if (spawnSync(process.execPath, [BIN, '--help'], { stdio: 'ignore' }).status !== 0)
    throw new Error(`the CLI is not built (${CLI_BUNDLE}); run npm run build:cli`);
  note('end to end: CLI start (--help) against node -e 0');
  const start = measureStart();
  const remote = RemoteSimulator.spawn();
  const outDir = mkdtempSync(join(workDir, 'e2e-out-'));
  const portfolio = { seed: E2E.seed, size: E2E.size };
  const options = { latencyMs: E2E.latencyMs };
  try {
    note(`end to end: ${E2E.size.toLocaleString('en-US')} numbers at ${E2E.latencyMs} ms, sequential loop`);
    let sim = await remote.start(portfolio, options);
    const baseline = await sequentialListing(sim.url, sim.apiKey);
    const cliRuns: CliRun[] = [];
    for (let i = 0; i < runs; i++) {
      sim = await remote.start(portfolio, options);
      cliRuns.push(await runCli(sim.url, sim.apiKey, outDir));
      note(`  number-audit --json --out: ${Math.round(cliRuns[i].wallMs)} ms`);
    }
    const sorted = [...cliRuns].sort((a, b) => a.wallMs - b.wallMs);
    const mid = sorted[Math.floor(sorted.length / 2)];
    const pages = Math.ceil(E2E.size / PAGE_SIZE);
    const bound = concurrencyBound({ pages, latencyMs: E2E.latencyMs, concurrency: CLIENT_CONCURRENCY });
    const speedup = baseline.wallMs / mid.wallMs;
    const overheadMs = mid.wallMs - bound.ms;
    return {
      numbers: E2E.size,
      latencyMs: E2E.latencyMs,
      pages,
      runs: cliRuns,
      median: mid,
      baselineMs: round(baseline.wallMs),
      speedup: round(speedup, 2),
      bound,
      overheadMs: round(overheadMs),
      start,
      sourceMaps: 'on (bin/number-audit.js enables them, as shipped)',
      floors: {
        [`end to end >= ${MIN_SPEEDUP}x the sequential loop`]: speedup >= MIN_SPEEDUP,
        [`end to end <= ${MAX_OVERHEAD_MS} ms beyond the bound`]: overheadMs <= MAX_OVERHEAD_MS,
        [`CLI start <= ${MAX_START_OVER_NODE_MS} ms beyond node -e 0`]: start.overMs <= MAX_START_OVER_NODE_MS,
      },
    };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
    await remote.exit();
  }
}
