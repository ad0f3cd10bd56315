// Run history: each run's files, and the baseline (the latest complete, verified, unfiltered run the
// baseline guard let through) that the next run's "changes" are compared with.
import { toWorkspaceAuditJson } from './audit-json';
import { changesSinceSnapshot } from './changes';
import { messageOf } from './errors';
import { prettyJsonBytes } from './pretty-json';
import { isUnfiltered } from './filters';
import type { ArchivedRun, Logger, ReportArchive } from './ports';
import { renderBodies, renderCsv, type RenderedReport, type ReportContext } from './report';
import type { ArchivedLocation } from './run-types';
import { SNAPSHOT_FILE, type SnapshotDraft, snapshotDraft, snapshotFile } from './snapshot';
import { RUN_SUMMARY_FILE, runSummary, serializeRunSummary } from './trend';
import type { ListFilters, PhoneNumber } from './types';
import type { ChangesSection, WorkspaceAudit } from './workspace';

/**
 * The changes section of one workspace: a comparison with its baseline, or why there is none. With
 * a baseline to compare, this week's snapshot file is drafted first (the comparison reads it) and
 * comes back with the section; the caller decides whether the archive gets it (keepsDraft).
 */
export async function changesSince(
  archive: ReportArchive,
  workspace: string,
  filters: ListFilters,
  complete: boolean,
  numbers: readonly PhoneNumber[],
  logger: Logger,
): Promise<{ section: ChangesSection; draft?: SnapshotDraft }> {
  if (!isUnfiltered(filters)) {
    return {
      section: { status: 'skipped', reason: 'this run is filtered; changes are compared for unfiltered runs only' },
    };
  }
  if (!complete) {
    // Numbers missing from an incomplete listing would all read as "removed".
    return { section: { status: 'skipped', reason: 'the listing is incomplete, so changes are not compared' } };
  }
  try {
    const previous = await archive.readLatestSnapshot(workspace);
    if (previous === null) return { section: { status: 'first-run' } };
    const { location } = previous;
    const draft = previous.ok ? draftOf(workspace, numbers, logger) : undefined;
    const compared = previous.ok ? changesSinceSnapshot(previous.bytes, numbers, draft) : previous;
    if (compared.ok) return { section: { status: 'compared', changes: compared.changes }, draft };
    // A file that was found but cannot be a baseline says where it is.
    const reason = previous.ok ? `${compared.reason} (${location})` : compared.reason;
    logger.warn('previous snapshot skipped', { workspace, reason, location });
    return {
      section: { status: 'skipped', reason: `the previous report (${location}) could not be used: ${reason}` },
      draft,
    };
  } catch (error) {
    const message = messageOf(error);
    logger.warn('previous snapshot could not be read', { workspace, message });
    return {
      section: { status: 'skipped', reason: `the run history could not be read: ${message}`, historyUnreadable: true },
    };
  }
}

/**
 * This week's snapshot file less its head, for the comparison; undefined when the numbers are not
 * in snapshot order or it cannot be made (the comparison then parses every number: slower, same
 * result), so a failure here is never taken for unreadable history.
 */
function draftOf(workspace: string, numbers: readonly PhoneNumber[], logger: Logger): SnapshotDraft | undefined {
  try {
    return snapshotDraft(workspace, numbers) ?? undefined;
  } catch (error) {
    logger.warn("this week's snapshot could not be drafted; comparing without it", {
      workspace,
      message: messageOf(error),
    });
    return undefined;
  }
}

/** The workspace's snapshot.json: its draft with the head, when it was drafted from these very numbers. */
function snapshotFileOf(ws: WorkspaceAudit, generatedAt: Date): Buffer {
  const draft = ws.snapshotDraft;
  return draft !== undefined && draft.of === ws.numbers && !draft.spent
    ? draft.file(generatedAt, ws.complete)
    : snapshotFile(ws.name, generatedAt, ws.complete, ws.numbers);
}

export interface ArchiveRequest {
  runId: string;
  /** The workspaces that were read; each gets its own folder. */
  workspaces: readonly WorkspaceAudit[];
  /** The run had one workspace and it was read: the email's report is that workspace's report. */
  single: boolean;
  /** The email's report context (`attachment: 'csv'`) and its rendering. */
  context: ReportContext;
  report: RenderedReport;
}

export interface ArchiveResult {
  archived: ArchivedLocation[];
  /** One warning line per workspace that could not be archived. */
  failures: string[];
}

/** One workspace's files for the archive, rendered; or what stopped them. */
export type PreparedRun = { ws: WorkspaceAudit; files: ArchivedRun['files'] } | { ws: WorkspaceAudit; error: unknown };

/**
 * Renders one workspace's files without writing anything. Never throws: files that fail to render
 * are that workspace's archive failure, reported when archiveRuns comes to it.
 */
export function prepareRun(request: ArchiveRequest, ws: WorkspaceAudit): PreparedRun {
  try {
    return { ws, files: archiveFiles(request, ws) };
  } catch (error) {
    return { ws, error };
  }
}

/**
 * Stores each workspace's files in its own folder and moves its baseline; never throws. Each
 * workspace is rendered just before it is written, so a run holds one workspace's files at a time;
 * `ready` is one already rendered (the run's single workspace, rendered while its email was built).
 */
export async function archiveRuns(
  archive: ReportArchive,
  request: ArchiveRequest,
  logger: Logger,
  ready?: PreparedRun,
): Promise<ArchiveResult> {
  const result: ArchiveResult = { archived: [], failures: [] };
  for (const ws of request.workspaces) {
    const run = ready?.ws === ws ? ready : prepareRun(request, ws);
    try {
      if ('error' in run) throw run.error;
      result.archived.push(await archiveWorkspace(archive, request, ws, run.files));
    } catch (error) {
      const message = `the run could not be archived for ${ws.name}: ${messageOf(error)}`;
      logger.error('archive failed', { workspace: ws.name, message });
      result.failures.push(message);
    }
  }
  return result;
}

function archiveFiles(
  { workspaces, single, context, report }: ArchiveRequest,
  ws: WorkspaceAudit,
): ArchivedRun['files'] {
  const { generatedAt } = context;
  return {
    'audit.json': prettyJsonBytes(toWorkspaceAuditJson(ws, generatedAt)),
    // One workspace read: the email's CSV is this workspace's CSV (rendering 100k rows costs ~0.4 s).
    'numbers.csv': workspaces.length === 1 ? report.csv : renderCsv([ws]),
    // Each workspace's folder gets its own report (agencies keep clients apart).
    'report.html': single ? report.html : renderBodies({ ...context, workspaces: [ws] }).html,
    [SNAPSHOT_FILE]: snapshotFileOf(ws, generatedAt),
    // What the next runs' trend reads, instead of this whole audit.
    [RUN_SUMMARY_FILE]: serializeRunSummary(runSummary(ws, generatedAt)),
  };
}

async function archiveWorkspace(
  archive: ReportArchive,
  { runId, context }: ArchiveRequest,
  ws: WorkspaceAudit,
  files: ArchivedRun['files'],
): Promise<ArchivedLocation> {
  const { generatedAt } = context;
  const { location, prefix } = await archive.writeRun({ workspace: ws.name, date: generatedAt, runId, files });
  // Decided once per workspace (lambda/core/baseline.ts); a pointer already newer than ours stays.
  const baseline =
    ws.baseline.moves &&
    (await archive.writeLatestPointer(ws.name, { runId, generatedAt: generatedAt.toISOString(), prefix })).updated;
  return { workspace: ws.name, location, baseline };
}
