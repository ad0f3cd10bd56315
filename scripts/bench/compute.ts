// Compute for a large inventory: median time of the pipeline in this process (the inventory is
// generated once, outside the measurement), and peak RSS of one run in a fresh Node process.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { auditNumbers } from '../../lambda/core/audit';
import { normalizeAll } from '../../lambda/core/normalize';
import { generatePortfolio } from '../../simulator';
import {
  previousSnapshotText,
  recordsFromPages,
  runPipeline,
  toPageBodies,
  type PipelineResult,
} from './compute-pipeline';
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
  /** JSON.parse of every raw page plus JSON.stringify of the records, median, on the same data in this process. */
  referenceMs: number;
  referenceRunsMs: number[];
  /** withHistory.medianMs / referenceMs */
  historyRatio: number;
  /** A scheduled run adds last week's snapshot (parse + diff) and the archived files. */
  withHistory: { runsMs: number[]; medianMs: number; archivedBytes: number; child: ChildFigures };
  floors: Record<string, boolean>;
}

interface ChildOutput {
  ms: number;
  maxRssKb: number;
  before: { rssKb: number | null };
  after: { hwmKb: number | null };
  hwmReset: boolean;
}

function runChild(childJs: string, args: string[]): ChildFigures {
  const child = spawnSync(process.execPath, [childJs, ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (child.status !== 0) throw new Error(`compute child failed (${child.status}): ${child.stderr}`);
  const c = JSON.parse(child.stdout) as ChildOutput;
  return {
    ms: round(c.ms),
    maxRssBytes: c.maxRssKb * 1024,
    rssBeforeBytes: c.before.rssKb === null ? null : c.before.rssKb * 1024,
    pipelinePeakBytes: c.hwmReset && c.after.hwmKb !== null ? c.after.hwmKb * 1024 : null,
  };
}

/** The floor's yardstick: no pipeline can read and write the same data faster than JSON does. */
function jsonReference(pages: readonly string[]): number {
  const parsed = pages.map((text) => JSON.parse(text) as { data: unknown[] });
  return JSON.stringify(parsed.flatMap((p) => p.data)).length;
}

function time<T>(fn: () => T): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

export async function runComputeBench(workDir: string, runs = 5, size = COMPUTE_SIZE): Promise<ComputeResult> {
  note(`compute: generating ${size.toLocaleString('en-US')} numbers`);
  const pages = toPageBodies(generatePortfolio({ seed: 6, size }));
  const records = recordsFromPages(pages);
  const previous = previousSnapshotText(records);
  note(`compute: reference (JSON.parse of ${pages.length} pages + JSON.stringify of the records), ${runs} runs`);
  const referenceRunsMs = Array.from({ length: runs }, () => time(() => jsonReference(pages)));

  // Fresh processes first, before this one's heap is large: one full pipeline each, peak RSS.
  const pagesFile = join(workDir, 'compute-pages.ndjson');
  const previousFile = join(workDir, 'compute-previous-snapshot.json');
  writeFileSync(pagesFile, `${pages.join('\n')}\n`);
  writeFileSync(previousFile, previous);
  pages.length = 0;
  const childJs = join(workDir, 'compute-child.js');
  buildSync({
    entryPoints: [join(__dirname, 'compute-child.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile: childJs,
    logLevel: 'error',
  });
  note('compute: one run in a fresh process (and one with history)');
  const child = runChild(childJs, [pagesFile]);
  const historyChild = runChild(childJs, [pagesFile, previousFile]);

  // History is informational (the floor is on the plain pipeline): fewer runs keep the bench short.
  const historyRuns = Math.min(3, runs);
  note(`compute: ${runs} runs in this process (and ${historyRuns} with history)`);
  const results: PipelineResult[] = [];
  for (let i = 0; i < runs; i++) results.push(await runPipeline(() => records));
  const historyResults: PipelineResult[] = [];
  for (let i = 0; i < historyRuns; i++)
    historyResults.push(await runPipeline(() => records, { readPreviousSnapshot: () => previous }));

  const normalizeMs: number[] = [];
  const auditMs: number[] = [];
  for (let i = 0; i < 3; i++) {
    let numbers: ReturnType<typeof normalizeAll> = [];
    normalizeMs.push(time(() => (numbers = normalizeAll(records))));
    auditMs.push(time(() => auditNumbers(numbers)));
  }

  const runsMs = results.map((r) => r.ms);
  const medianMs = median(runsMs);
  const normalize = median(normalizeMs);
  // runAudit audits twice: the workspace, then the combined view over every workspace.
  const audit = 2 * median(auditMs);
  const email = median(results.map((r) => r.emailMs));
  const last = results[results.length - 1];
  const historyMs = historyResults.map((r) => r.ms);
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
    },
    floors: {
      '100k compute <= 1 s median': medianMs <= MAX_MEDIAN_MS,
      '100k compute <= 300 MB peak RSS': child.maxRssBytes <= MAX_RSS_BYTES,
      [`100k compute with history <= ${MAX_REFERENCE_RATIO}x the JSON reference`]: historyRatio <= MAX_REFERENCE_RATIO,
      '100k compute with history <= 250 MB peak RSS (fresh process)': historyChild.maxRssBytes <= MAX_HISTORY_RSS_BYTES,
    },
  };
}
