// The compute bench's timed runs, made inside the bundled child (compute-child.ts, `times` mode):
// the code timed is the code as deployed (one esbuild bundle, source maps on), not TypeScript
// compiled file by file under tsx, which ran the same pipeline ~13% slower.
import { auditNumbers } from '../../lambda/core/audit';
import { streamedChanges } from '../../lambda/core/changes';
import { normalizeAll } from '../../lambda/core/normalize';
import { sortByCountryThenNumber } from '../../lambda/core/number-order';
import { snapshotDraft, type SnapshotDraft } from '../../lambda/core/snapshot';
import type { NumberRecord } from '../../lambda/core/types';
import { runPipeline, type PipelineResult } from './compute-pipeline';

export interface ComputeTimes {
  /** JSON.parse of every raw page plus JSON.stringify of their records, each run (ms). */
  referenceRunsMs: number[];
  runs: PipelineResult[];
  historyRuns: PipelineResult[];
  /**
   * Each part timed alone on the same data, every run (ms). With history the run drafts this week's
   * snapshot file (`draft`, the file less its head) and compares last week's file with it number
   * by number (`diff`, streamedChanges given the draft), decoding only the numbers that differ.
   */
  partsRunsMs: { normalize: number[]; audit: number[]; draft: number[]; diff: number[] };
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

function timeParts(records: readonly NumberRecord[], previous: Buffer, runs: number): ComputeTimes['partsRunsMs'] {
  const parts: ComputeTimes['partsRunsMs'] = { normalize: [], audit: [], draft: [], diff: [] };
  for (let i = 0; i < runs; i++) {
    let numbers: ReturnType<typeof normalizeAll> = [];
    parts.normalize.push(time(() => (numbers = sortByCountryThenNumber(normalizeAll(records)))));
    parts.audit.push(time(() => auditNumbers(numbers)));
    let draft: SnapshotDraft | null = null;
    parts.draft.push(time(() => (draft = snapshotDraft('Bench workspace', numbers))));
    // Assigned in the timed closure, which the compiler does not follow.
    const given = draft as SnapshotDraft | null;
    // A draft the comparison may not use would time the path that decodes every number.
    if (given === null || !given.valid) throw new Error('bench: no usable snapshot draft for the sorted numbers');
    parts.diff.push(
      time(() => {
        // Not the whole-file fallback: that would time another path without saying so.
        if (streamedChanges(previous, numbers, given)?.ok !== true)
          throw new Error("bench: last week's snapshot was not compared number by number");
      }),
    );
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
