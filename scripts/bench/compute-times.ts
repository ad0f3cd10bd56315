// The compute bench's timed runs, made inside the bundled child (compute-child.ts, `times` mode):
// the code timed is the code as deployed (one esbuild bundle, source maps on), not TypeScript
// compiled file by file under tsx, which ran the same pipeline ~13% slower.
import { auditNumbers } from '../../lambda/core/audit';
import { changesSinceSnapshot } from '../../lambda/core/changes';
import { normalizeAll } from '../../lambda/core/normalize';
import { sortByCountryThenNumber } from '../../lambda/core/number-order';
import { snapshotFile, writtenSnapshotParts } from '../../lambda/core/snapshot';
import type { NumberRecord } from '../../lambda/core/types';
import { runPipeline, type PipelineResult } from './compute-pipeline';

export interface ComputeTimes {
  /** JSON.parse of every raw page plus JSON.stringify of their records, each run (ms). */
  referenceRunsMs: number[];
  runs: PipelineResult[];
  historyRuns: PipelineResult[];
  /**
   * Each part timed alone on the same data, every run (ms). The run reads last week's snapshot a
   * part at a time as it diffs: `parse` is that reading alone (decode and JSON.parse of each part),
   * `diff` what the whole comparison (changesSinceSnapshot) takes beyond it in the same round.
   */
  partsRunsMs: { normalize: number[]; audit: number[]; parse: number[]; diff: number[]; snapshotFile: number[] };
}

/** The floor's yardstick: no pipeline can read and write the same data faster than JSON does. */
function jsonReference(pages: readonly string[]): number {
  const parsed = pages.map((text) => JSON.parse(text) as { data: unknown[] });
  return JSON.stringify(parsed.flatMap((p) => p.data)).length;
}

function time(fn: () => unknown): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

/** Every part of last week's file read and dropped, as the streamed diff reads them; throws if it would not stream. */
function readParts(previous: Buffer): void {
  const written = writtenSnapshotParts(previous);
  if (written === null) throw new Error("bench: last week's snapshot is not as written");
  for (const part of written.parts) if (part === null) throw new Error("bench: last week's snapshot has a bad part");
}

function timeParts(records: readonly NumberRecord[], previous: Buffer, runs: number): ComputeTimes['partsRunsMs'] {
  const parts: ComputeTimes['partsRunsMs'] = { normalize: [], audit: [], parse: [], diff: [], snapshotFile: [] };
  for (let i = 0; i < runs; i++) {
    let numbers: ReturnType<typeof normalizeAll> = [];
    parts.normalize.push(time(() => (numbers = sortByCountryThenNumber(normalizeAll(records)))));
    parts.audit.push(time(() => auditNumbers(numbers)));
    const parse = time(() => readParts(previous));
    parts.parse.push(parse);
    parts.diff.push(time(() => changesSinceSnapshot(previous, numbers)) - parse);
    parts.snapshotFile.push(time(() => snapshotFile('Bench workspace', new Date(), true, numbers)));
  }
  return parts;
}

/** Side by side in one process: the reference, the pipeline, the pipeline with history, its parts. */
export async function timeCompute(
  pages: readonly string[],
  records: NumberRecord[],
  previous: Buffer,
  runs: number,
): Promise<ComputeTimes> {
  const list = () => records;
  const referenceRunsMs: number[] = [];
  const results: PipelineResult[] = [];
  const historyResults: PipelineResult[] = [];
  // Interleaved, so the reference and both runs meet the same heap and the same load each round.
  for (let i = 0; i < runs; i++) {
    referenceRunsMs.push(time(() => jsonReference(pages)));
    results.push(await runPipeline(list));
    historyResults.push(await runPipeline(list, { readPreviousSnapshot: () => previous }));
  }
  return { referenceRunsMs, runs: results, historyRuns: historyResults, partsRunsMs: timeParts(records, previous, 3) };
}
