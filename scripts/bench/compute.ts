// Compute for a large inventory: the pipeline timed side by side with a JSON reference in one
// bundled child process (the code as deployed; the inventory is generated once, outside the
// measurement), and the peak RSS of one run in a fresh process.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { esbuildOptions } from '../../lib/audit-function';
import { DEFAULTS } from '../../lib/config';
import { generatePortfolio } from '../../simulator';
import { previousSnapshotText, recordsFromPages, toPageBodies } from './compute-pipeline';
import type { ComputeTimes } from './compute-times';
import { median, note, round } from './stats';

export const COMPUTE_SIZE = 100_000;
export const MAX_MEDIAN_MS = 1_000;
export const MAX_RSS_BYTES = 300 * 1024 * 1024;
/** The pipeline with history against JSON.parse of the raw pages plus JSON.stringify of the records. */
export const MAX_REFERENCE_RATIO = 2.5;
export const MAX_HISTORY_RSS_BYTES = 250 * 1024 * 1024;

export interface ChildFigures {
  ms: number;
  /** Whole-process peak (resourceUsage().maxRSS): Node, the modules, the listing and the run. */
  maxRssBytes: number;
  /** RSS with the listing in memory, before the pipeline. */
  rssBeforeBytes: number | null;
  /** Peak RSS during the pipeline alone (VmHWM reset after loading), when the kernel allowed it. */
  pipelinePeakBytes: number | null;
}

export interface ComputeResult {
  numbers: number;
  /** Every measured run (ms), in order. */
  runsMs: number[];
  medianMs: number;
  /** Where the median run's time goes (medians of each part). */
  partsMs: { normalize: number; audit: number; email: number; renderAndRest: number };
  attachment: string;
  rawBytes: number;
  csvBytes: number;
  child: ChildFigures;
  /** JSON.parse of every raw page plus JSON.stringify of the records, median, on the same data in the same child process as the runs. */
  referenceMs: number;
  referenceRunsMs: number[];
  /** withHistory.medianMs / referenceMs */
  historyRatio: number;
  /** A scheduled run adds this week's snapshot file, its comparison with last week's and the other archived files. */
  withHistory: {
    runsMs: number[];
    medianMs: number;
    archivedBytes: number;
    child: ChildFigures;
    /**
     * The same fresh-process run with the V8 flags Lambda's Node.js bootstrap passes at the stack's
     * default memory: the heap may grow further there, so this is the figure the sizing reads.
     */
    lambdaChild: ChildFigures;
    /** Medians of what history adds, timed alone on the same data: this week's snapshot file drafted, the comparison with last week's. */
    partsMs: { draft: number; diff: number };
  };
  floors: Record<string, boolean>;
}

interface ChildOutput {
  ms: number;
  maxRssKb: number;
  before: { rssKb: number | null };
  after: { hwmKb: number | null };
  hwmReset: boolean;
}

function spawnChild(childJs: string, args: string[], flags: string[] = []): string {
  const child = spawnSync(process.execPath, [...flags, childJs, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (child.status !== 0) throw new Error(`compute child failed (${child.status}): ${child.stderr}`);
  return child.stdout;
}

/** Timed as the Lambda runs its bundle: source maps on. */
function timesChild(childJs: string, args: string[]): ComputeTimes {
  return JSON.parse(spawnChild(childJs, ['times', ...args], ['--enable-source-maps'])) as ComputeTimes;
}

/**
 * The flags the public bootstrap scripts of Lambda's Node.js runtimes start Node with for a memory
 * size (MB): a tenth of it for the young generation (two semi-spaces), the rest for the old one,
 * and gc exposed. The young generation's share is far larger than Node's default 16 MB semi-space.
 */
export function lambdaNodeFlags(memoryMb: number): string[] {
  const newSpace = Math.floor(memoryMb / 10);
  return [
    '--expose-gc',
    `--max-semi-space-size=${Math.floor(newSpace / 2)}`,
    `--max-old-space-size=${memoryMb - newSpace}`,
  ];
}

/**
 * One run and its peak, with source maps on as the Lambda runs: Node then keeps the bundle's parsed
 * map, ~20 MB of the peak a deployed run pays too.
 */
function runChild(childJs: string, args: string[], flags: string[] = []): ChildFigures {
  const c = JSON.parse(spawnChild(childJs, args, ['--enable-source-maps', ...flags])) as ChildOutput;
  return {
    ms: round(c.ms),
    maxRssBytes: c.maxRssKb * 1024,
    rssBeforeBytes: c.before.rssKb === null ? null : c.before.rssKb * 1024,
    pipelinePeakBytes: c.hwmReset && c.after.hwmKb !== null ? c.after.hwmKb * 1024 : null,
  };
}

export async function runComputeBench(workDir: string, runs = 5, size = COMPUTE_SIZE): Promise<ComputeResult> {
  note(`compute: generating ${size.toLocaleString('en-US')} numbers`);
  const pages = toPageBodies(generatePortfolio({ seed: 6, size }));
  const pagesFile = join(workDir, 'compute-pages.ndjson');
  const previousFile = join(workDir, 'compute-previous-snapshot.json');
  writeFileSync(pagesFile, `${pages.join('\n')}\n`);
  writeFileSync(previousFile, previousSnapshotText(recordsFromPages(pages)));
  pages.length = 0;
  const childJs = join(workDir, 'compute-child.js');
  // Built as the function's bundle is (minified, names kept, source map without sources).
  buildSync({ ...esbuildOptions([]), entryPoints: [join(__dirname, 'compute-child.ts')], outfile: childJs });
  note("compute: one run in a fresh process (and one with history, also with Lambda's V8 flags)");
  const child = runChild(childJs, ['peak', pagesFile]);
  const historyChild = runChild(childJs, ['peak', pagesFile, previousFile]);
  const lambdaChild = runChild(childJs, ['peak', pagesFile, previousFile], lambdaNodeFlags(DEFAULTS.memorySize));
  note(`compute: reference (JSON.parse of the pages + JSON.stringify of the records) and ${runs} runs, side by side`);
  const times = timesChild(childJs, [pagesFile, previousFile, String(runs)]);
  const results = times.runs;
  const historyResults = times.historyRuns;
  const parts = times.partsRunsMs;

  const runsMs = results.map((r) => r.ms);
  const medianMs = median(runsMs);
  const normalize = median(parts.normalize);
  // One workspace: its audit is the run's combined audit too (runAudit does not audit it again).
  const audit = median(parts.audit);
  const email = median(results.map((r) => r.emailMs));
  const last = results[results.length - 1];
  const historyMs = historyResults.map((r) => r.ms);
  const referenceRunsMs = times.referenceRunsMs;
  const referenceMs = median(referenceRunsMs);
  const historyRatio = median(historyMs) / referenceMs;
  return {
    numbers: size,
    runsMs: runsMs.map((v) => round(v)),
    medianMs: round(medianMs),
    partsMs: {
      normalize: round(normalize),
      audit: round(audit),
      email: round(email),
      renderAndRest: round(Math.max(0, medianMs - normalize - audit - email)),
    },
    referenceMs: round(referenceMs),
    referenceRunsMs: referenceRunsMs.map((v) => round(v)),
    historyRatio: round(historyRatio, 2),
    attachment: last.attachment,
    rawBytes: last.rawBytes,
    csvBytes: last.csvBytes,
    child,
    withHistory: {
      runsMs: historyMs.map((v) => round(v)),
      medianMs: round(median(historyMs)),
      archivedBytes: historyResults[historyResults.length - 1].archivedBytes,
      child: historyChild,
      lambdaChild,
      partsMs: {
        draft: round(median(parts.draft)),
        diff: round(median(parts.diff)),
      },
    },
    floors: {
      '100k compute <= 1 s median': medianMs <= MAX_MEDIAN_MS,
      '100k compute <= 300 MB peak RSS': child.maxRssBytes <= MAX_RSS_BYTES,
      [`100k compute with history <= ${MAX_REFERENCE_RATIO}x the JSON reference`]: historyRatio <= MAX_REFERENCE_RATIO,
      '100k compute with history <= 250 MB peak RSS (fresh process)': historyChild.maxRssBytes <= MAX_HISTORY_RSS_BYTES,
    },
  };
}
