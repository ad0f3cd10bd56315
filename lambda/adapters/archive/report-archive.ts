// ReportArchive over any ObjectStore: run folders, the latest-complete-run pointer, and reading
// the previous snapshot's bytes back without ever failing the run over a bad pointer or a missing file.
import * as z from 'zod';
import type { ArchivedRun, LatestRunPointer, PreviousSnapshot, ReportArchive } from '../../core/ports';
import { SNAPSHOT_FILE } from '../../core/snapshot';
import { countsForTrend, parseRunSummary, RUN_SUMMARY_FILE, type RunSummary } from '../../core/trend';
import { contentTypeFor, isRunPrefixOf, latestPointerKey, runFileKey, runPrefix, workspaceRunsPrefix } from './layout';
import { MAX_CONFLICT_ROUNDS, type ObjectStore, textOf } from './object-store';

const pointerSchema = z.object({
  schemaVersion: z.literal(1),
  workspace: z.string(),
  runId: z.string().min(1),
  generatedAt: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not a date'),
  prefix: z.string().min(1),
});

function parsePointer(text: string): LatestRunPointer | null {
  try {
    const parsed = pointerSchema.safeParse(JSON.parse(text));
    return parsed.success
      ? { runId: parsed.data.runId, generatedAt: parsed.data.generatedAt, prefix: parsed.data.prefix }
      : null;
  } catch {
    return null;
  }
}

/** Run folders read at most for a trend, so a history of failed or filtered runs stays cheap. */
const MAX_RUNS_SCANNED = 48;

export class StoreReportArchive implements ReportArchive {
  constructor(private readonly store: ObjectStore) {}

  async writeRun(run: ArchivedRun): Promise<{ location: string; prefix: string }> {
    const prefix = runPrefix(run.workspace, run.date, run.runId);
    const files = Object.entries(run.files).map(([name, content]) => ({
      key: runFileKey(prefix, name),
      name,
      content,
    }));
    await Promise.all(files.map((f) => this.store.put(f.key, f.content, contentTypeFor(f.name))));
    return { location: this.store.describe(prefix), prefix };
  }

  async readLatestSnapshot(workspace: string): Promise<PreviousSnapshot | null> {
    const pointerKey = latestPointerKey(workspace);
    const stored = await this.store.get(pointerKey);
    if (!stored) return null;
    const pointerLocation = this.store.describe(pointerKey);
    const pointer = parsePointer(textOf(stored));
    if (!pointer)
      return {
        ok: false,
        reason: `the latest-run pointer is unreadable (${pointerLocation})`,
        location: pointerLocation,
      };
    if (!isRunPrefixOf(workspace, pointer.prefix)) {
      return {
        ok: false,
        reason: `the latest-run pointer points outside this workspace's history (${pointerLocation})`,
        location: pointerLocation,
      };
    }
    const snapshotKey = pointer.prefix + SNAPSHOT_FILE;
    const location = this.store.describe(snapshotKey);
    const snapshotObject = await this.store.get(snapshotKey);
    if (!snapshotObject) return { ok: false, reason: `the previous snapshot is missing (${location})`, location };
    return { ok: true, bytes: snapshotObject.bytes, location };
  }

  async readRecentRuns(workspace: string, limit: number): Promise<RunSummary[]> {
    const folders = new Map<string, Set<string>>();
    for (const key of await this.store.list(workspaceRunsPrefix(workspace))) {
      const cut = key.lastIndexOf('/') + 1;
      const folder = key.slice(0, cut);
      if (!isRunPrefixOf(workspace, folder)) continue;
      const files = folders.get(folder) ?? new Set<string>();
      files.add(key.slice(cut));
      folders.set(folder, files);
    }
    // Folders sort by day; runs of one day are read together, then ordered by their own time.
    const newestFirst = [...folders.keys()].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
    const found: RunSummary[] = [];
    for (const [i, folder] of newestFirst.slice(0, MAX_RUNS_SCANNED).entries()) {
      const sameDay = i > 0 && dayOf(newestFirst[i - 1]) === dayOf(folder);
      if (found.length >= limit && !sameDay) break;
      const file = folders.get(folder)?.has(RUN_SUMMARY_FILE) ? RUN_SUMMARY_FILE : 'audit.json';
      const stored = await this.store.get(folder + file);
      const summary = stored === null ? null : parseRunSummary(textOf(stored));
      if (summary !== null && countsForTrend(summary)) found.push(summary);
    }
    return found.sort((a, b) => Date.parse(b.generatedAt) - Date.parse(a.generatedAt)).slice(0, limit);
  }

  async writeLatestPointer(workspace: string, pointer: LatestRunPointer): Promise<{ updated: boolean }> {
    if (!isRunPrefixOf(workspace, pointer.prefix))
      throw new Error(`latest pointer prefix "${pointer.prefix}" is not a run folder of this workspace`);
    const at = Date.parse(pointer.generatedAt);
    if (Number.isNaN(at)) throw new Error('latest pointer generatedAt is not a date');
    const key = latestPointerKey(workspace);
    const body = `${JSON.stringify({ schemaVersion: 1, workspace, ...pointer })}\n`;
    // Compare-and-swap so a late retry of an older run can never move "latest" backwards.
    for (let round = 0; round < MAX_CONFLICT_ROUNDS; round++) {
      const existing = await this.store.get(key);
      if (!existing) {
        if (await this.store.putIfAbsent(key, body)) return { updated: true };
        continue;
      }
      const current = parsePointer(textOf(existing));
      if (current && Date.parse(current.generatedAt) >= at) return { updated: false };
      if (await this.store.putIfMatch(key, body, existing.etag)) return { updated: true };
    }
    throw new Error(`could not update ${this.store.describe(key)}: it kept changing under concurrent writers`);
  }
}

/** reports/<slug>/<yyyy>/<mm>/<dd>/ of a run folder. */
function dayOf(folder: string): string {
  return folder.slice(0, folder.slice(0, -1).lastIndexOf('/') + 1);
}
