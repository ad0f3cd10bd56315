// `npm run demo`: the whole product, offline, in seconds. Starts the DialNexa simulator with the
// demo workspace and the local SES emulator, runs the same runAudit the Lambda runs, sends the
// email through the emulator, writes out/ and prints a summary. A run of "last week's" inventory
// goes first into out/history/, so the email already shows what changed.
// `npm run demo -- --serve` then keeps the SES web viewer up until Ctrl-C.
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { LocalArchive } from '../lambda/adapters/archive/local-archive';
import { createDialNexaClient } from '../lambda/adapters/dialnexa';
import { createReportEmailBuilder } from '../lambda/adapters/email/report-email-builder';
import { createStaticKeySource } from '../lambda/adapters/secrets/static-key-source';
import { createSesClient, SesRawMailer } from '../lambda/adapters/ses/ses-mailer';
import { createCliLogger } from '../lambda/cli/logger';
import { writeOutputs, type OutputFile } from '../lambda/cli/output';
import { createProgressReporter } from '../lambda/cli/progress';
import { oneLine } from '../lambda/cli/sanitize';
import { formatSummary } from '../lambda/cli/summary';
import { silentLogger } from '../lambda/core/ports';
import { runAudit, type AuditRun } from '../lambda/core/run-audit';
import { startSimulator, type SimRecord } from '../simulator';
import { startSesLocal, type SesLocal, type StoredEmail } from './support/ses-local';
import { parseInventory } from '../lambda/core/inventory';
import { serializeRunSummary } from '../lambda/core/trend';
import {
  DEMO_FROM,
  DEMO_TO,
  DEMO_WORKSPACE_NAME,
  demoCalls,
  demoEarlierRuns,
  demoInventory,
  demoWorkspace,
  type DemoInventory,
  type DemoStory,
} from './demo-portfolio';

export const DEFAULT_OUT_DIR = join(__dirname, '..', 'out');
/** Written into every history folder the demo creates: the only kind it will ever clear. */
export const DEMO_MARKER = '.number-audit-demo';
const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

/** `--out` points at a folder whose history/ the demo did not create (exit code 2). */
export class UnsafeHistoryDirError extends Error {
  constructor(readonly dir: string) {
    super(
      `${dir} was not created by the demo (no ${DEMO_MARKER} file in it), so the demo will not clear it. Choose another --out DIR, or remove that folder yourself.`,
    );
    this.name = 'UnsafeHistoryDirError';
  }
}

/**
 * Empties `dir` for a fresh demo history, but only when the demo made it: `--out ~` must never
 * cost anyone their own ~/history. A missing or empty folder is fine too. `trustUnmarked` is for
 * this repository's git-ignored out/, the demo's own folder, where runs from before the marker
 * left histories without one.
 */
export async function prepareHistoryDir(dir: string, options: { trustUnmarked?: boolean } = {}): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOTDIR') throw new UnsafeHistoryDirError(dir);
    if (code !== 'ENOENT') throw error;
    entries = [];
  }
  if (entries.length > 0 && !entries.includes(DEMO_MARKER) && !options.trustUnmarked)
    throw new UnsafeHistoryDirError(dir);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, DEMO_MARKER), 'Created by `npm run demo`, which clears this folder on every run.\n');
}

export interface DemoOptions {
  outDir?: string;
  /** Keep the SES emulator running after the run (the caller closes it with `result.close()`). */
  keepSesOpen?: boolean;
  timeZone?: string;
  /** The run's clock (default: now): a fixed one makes every file but email.eml the same each run. */
  now?: Date;
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
  isTTY?: boolean;
}

export interface DemoResult {
  run: AuditRun;
  files: Record<OutputFile, string>;
  /** The run history (last week's run and today's), same layout as the S3 archive. */
  historyDir: string;
  /** Which numbers changed since last week, and how. */
  story: DemoStory;
  /** Finance's inventory file the run was reconciled with (also written to out/inventory.csv). */
  inventoryFile: DemoInventory & { path: string };
  /** The simulator's inventory as served, for checking the audit against it. */
  inventory: SimRecord[];
  /** What the local SES received. */
  emails: StoredEmail[];
  sesEndpoint: string;
  wallMs: number;
  /** Stops the SES emulator when it was kept open. */
  close(): Promise<void>;
}

export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const started = Date.now();
  const stdout = options.stdout ?? ((t: string) => void process.stdout.write(t));
  const stderr = options.stderr ?? ((t: string) => void process.stderr.write(t));
  const outDir = options.outDir ?? DEFAULT_OUT_DIR;
  const progress = createProgressReporter({ write: stderr, isTTY: options.isTTY ?? false });
  const logger = createCliLogger((line) => progress.line(line), false);
  const now = options.now ?? new Date();

  const workspace = demoWorkspace();
  // A fresh history each time, so every demo tells the same story: last week's run, then today's.
  const historyDir = join(outDir, 'history');
  await prepareHistoryDir(historyDir, { trustUnmarked: resolve(outDir) === resolve(DEFAULT_OUT_DIR) });
  const archive = new LocalArchive({ dir: historyDir });
  // A little latency so the listing behaves (and the progress bar looks) like a real API.
  const sim = await startSimulator({
    numbers: workspace.lastWeek,
    agents: workspace.agents,
    folders: workspace.folders,
    calls: demoCalls(workspace.numbers, now),
    latencyMs: 20,
  });
  const inventoryFile = demoInventory(workspace);
  const inventoryPath = join(outDir, 'inventory.csv');
  await mkdir(outDir, { recursive: true });
  await writeFile(inventoryPath, inventoryFile.csv);
  const inventory = parseInventory(inventoryFile.csv);
  let ses: SesLocal | undefined;
  try {
    ses = await startSesLocal();
    const lister = createDialNexaClient({
      baseUrl: sim.url,
      keySource: createStaticKeySource(sim.apiKey, 'the simulator key'),
      logger,
    });
    const workspaces = [{ name: DEMO_WORKSPACE_NAME, lister }];
    const common = {
      workspaces,
      timeZone: options.timeZone ?? 'UTC',
      from: DEMO_FROM,
      to: DEMO_TO,
      onDemandHint: 'Run this audit on your own workspace from a terminal: npm run --silent audit -- --help',
      writeHistory: true,
    };

    // Last week's run: nothing sent, only kept as the baseline for today's changes.
    const lastWeek = await runAudit(
      {
        emailBuilder: createReportEmailBuilder(),
        archive,
        now: () => new Date(now.getTime() - WEEK_MS),
        logger: silentLogger,
      },
      { ...common, runId: 'demo-last-week', dryRun: true },
    );
    if (lastWeek.status !== 'duplicate') await seedEarlierWeeks(archive, lastWeek);
    sim.remove(...sim.inventory().map((r) => r.id));
    sim.add(...workspace.numbers);
    sim.resetLog();

    const mailer = new SesRawMailer({
      client: createSesClient({
        endpoint: ses.endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'demo', secretAccessKey: 'demo' },
      }),
    });
    const outcome = await runAudit(
      {
        emailBuilder: createReportEmailBuilder(),
        mailer,
        archive,
        inventory: { read: async () => inventory },
        now: () => now,
        logger,
      },
      { ...common, runId: `demo-${now.toISOString().slice(0, 10)}`, onProgress: (_ws, p) => progress.update(p) },
    );
    progress.finish();
    if (outcome.status === 'duplicate') throw new Error('the demo run was taken for a duplicate');
    const run = outcome;
    for (const warning of run.warnings) stderr(`demo: warning: ${oneLine(warning)}\n`);
    const files = await writeOutputs(outDir, run);
    const emails = await ses.emails();
    const served = sim.inventory();
    const wallMs = Date.now() - started;

    const shown = Object.fromEntries(Object.entries(files).map(([name, path]) => [name, relativeOrAbsolute(path)]));
    stdout(
      formatSummary(run, {
        files: {
          ...shown,
          history: `${relativeOrAbsolute(historyDir)}/`,
          inventory: relativeOrAbsolute(inventoryPath),
        },
        delivery: `sent to ${DEMO_TO.join(', ')} through the local SES emulator (message id ${run.email.messageId})`,
        wallMs,
      }),
    );

    const kept = ses;
    if (!options.keepSesOpen) await kept.close();
    return {
      run,
      files,
      historyDir,
      inventory: served,
      story: workspace.story,
      inventoryFile: { ...inventoryFile, path: inventoryPath },
      emails,
      sesEndpoint: kept.endpoint,
      wallMs,
      close: () => (options.keepSesOpen ? kept.close() : Promise.resolve()),
    };
  } catch (error) {
    progress.finish();
    await ses?.close();
    throw error;
  } finally {
    await sim.close();
  }
}

function relativeOrAbsolute(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') ? path : rel;
}

export interface DemoCliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  isTTY: boolean;
}

const processIo: DemoCliIo = {
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
  isTTY: process.stderr.isTTY === true,
};

/** The summaries of the weekly runs before last week's, so today's email has a trend to draw. */
async function seedEarlierWeeks(archive: LocalArchive, lastWeek: AuditRun): Promise<void> {
  const latest = {
    total: lastWeek.combined.total,
    unrouted: lastWeek.combined.unrouted.length,
    monthly: lastWeek.combined.cost.totalMonthly,
  };
  for (const [i, summary] of demoEarlierRuns(lastWeek.generatedAt, latest).entries()) {
    await archive.writeRun({
      workspace: DEMO_WORKSPACE_NAME,
      date: new Date(summary.generatedAt),
      runId: `demo-earlier-${i + 1}`,
      files: { 'summary.json': serializeRunSummary(summary) },
    });
  }
}

/** `npm run demo`: 0 done, 1 failed, 2 bad arguments or an --out whose history/ is not the demo's. */
export async function demoCli(argv: string[], io: DemoCliIo = processIo): Promise<number> {
  let serve = false;
  let outDir: string | undefined;
  try {
    const { values } = parseArgs({
      args: argv,
      options: { serve: { type: 'boolean' }, out: { type: 'string' } },
      strict: true,
    });
    serve = values.serve === true;
    outDir = values.out;
  } catch (error) {
    io.stderr(
      `demo: ${error instanceof Error ? error.message : String(error)} (usage: npm run demo [-- --serve] [--out DIR])\n`,
    );
    return 2;
  }
  // The demo talks only to local emulators; the SDK's Node 20 notice would only be noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  let result: DemoResult;
  try {
    result = await runDemo({ outDir, keepSesOpen: serve, isTTY: io.isTTY, stdout: io.stdout, stderr: io.stderr });
  } catch (error) {
    if (!(error instanceof UnsafeHistoryDirError)) throw error;
    io.stderr(`demo: ${error.message}\n`);
    return 2;
  }
  if (!serve) return 0;
  io.stdout(`\nSES web viewer: ${result.sesEndpoint}/  (the email is there; Ctrl-C to stop)\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await result.close();
  return 0;
}

if (require.main === module) {
  demoCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`demo: ${oneLine(error instanceof Error ? error.message : String(error))}\n`);
      process.exitCode = 1;
    },
  );
}
