// The compute part of a run for an inventory already listed, through the same runAudit the
// Lambda calls: normalize, audit, render HTML/text/CSV, build the MIME (shrinking the CSV to fit).
// With `history`, also what a scheduled run adds: last week's snapshot compared with this week's, and
// the run's files rendered for the archive (kept in memory, not written).
import { newListingStats } from '../../lambda/adapters/dialnexa/listing';
import { parsePageEnvelope, toNumberRecord } from '../../lambda/adapters/dialnexa/schema';
import { createReportEmailBuilder } from '../../lambda/adapters/email/report-email-builder';
import { normalizeAll } from '../../lambda/core/normalize';
import { silentLogger, type ReportArchive, type ReportEmailBuilder } from '../../lambda/core/ports';
import { runAudit, type AuditRun } from '../../lambda/core/run-audit';
import { serializeSnapshot, toSnapshot } from '../../lambda/core/snapshot';
import type { Listing, NumberRecord } from '../../lambda/core/types';

const GENERATED_AT = new Date('2025-06-02T09:00:00Z');
const LAST_WEEK = new Date('2025-05-26T09:00:00Z');
const WORKSPACE = 'Bench workspace';

/** Page bodies as DialNexa sends them (the docs' `{data, meta}` envelope), 100 records each. */
export function toPageBodies(records: ReadonlyArray<Record<string, unknown>>, limit = 100): string[] {
  const total = records.length;
  const totalPages = Math.ceil(total / limit);
  const pages: string[] = [];
  for (let page = 1; page <= totalPages; page++) {
    const data = records.slice((page - 1) * limit, page * limit);
    pages.push(JSON.stringify({ data, meta: { page, limit, total, totalPages } }));
  }
  return pages;
}

/** The client's edge validation, page by page, as in a real listing. */
export function recordsFromPages(pages: Iterable<string>): NumberRecord[] {
  const records: NumberRecord[] = [];
  for (const text of pages) {
    for (const raw of parsePageEnvelope(JSON.parse(text)).rawRecords) {
      const r = toNumberRecord(raw);
      if (!r.ok) throw new Error(`bench portfolio has an invalid record: ${r.problem}`);
      records.push(r.record);
    }
  }
  return records;
}

/** Last week's snapshot as the archive stores it: the same inventory less its first 1% (so 1% is "added"). */
export function previousSnapshotText(records: readonly NumberRecord[]): string {
  const older = normalizeAll(records.slice(Math.ceil(records.length / 100)));
  return serializeSnapshot(toSnapshot(WORKSPACE, LAST_WEEK, true, older));
}

/**
 * An archive that has last week's snapshot and keeps nothing it is given. The snapshot's bytes are
 * read when the run asks for it, as the S3 archive reads the object: they need not outlive the diff.
 */
function memoryArchive(readPrevious: () => Buffer): ReportArchive & { bytesWritten: number } {
  const archive = {
    bytesWritten: 0,
    async writeRun(run: Parameters<ReportArchive['writeRun']>[0]) {
      for (const content of Object.values(run.files)) archive.bytesWritten += Buffer.byteLength(content);
      return { location: 'memory://bench', prefix: 'bench/' };
    },
    async readLatestSnapshot() {
      return { ok: true as const, bytes: readPrevious(), location: 'memory://previous' };
    },
    async writeLatestPointer() {
      return { updated: true };
    },
  };
  return archive;
}

export interface PipelineResult {
  ms: number;
  /** Time inside the email builder (MIME, gzip, re-rendered bodies when the CSV shrinks). */
  emailMs: number;
  attachment: string;
  rawBytes: number;
  csvBytes: number;
  archivedBytes: number;
}

/**
 * One dry run of runAudit over a finished listing (the listing itself costs nothing here). `listed`
 * gives the listing's records when the run lists: a caller that holds nothing else of them leaves
 * them, as a deployed run's HTTP client does, to the run alone.
 */
export async function runPipeline(
  listed: () => NumberRecord[],
  history?: { readPreviousSnapshot: () => Buffer },
): Promise<PipelineResult> {
  const listAll = async (): Promise<Listing> => {
    const records = listed();
    return {
      records,
      reportedTotal: records.length,
      complete: true,
      stats: newListingStats(),
    };
  };
  const builder = createReportEmailBuilder();
  let emailMs = 0;
  const emailBuilder: ReportEmailBuilder = {
    async build(input) {
      const t = performance.now();
      try {
        return await builder.build(input);
      } finally {
        emailMs += performance.now() - t;
      }
    },
  };
  const archive = history ? memoryArchive(history.readPreviousSnapshot) : undefined;
  const started = performance.now();
  const outcome = await runAudit(
    { emailBuilder, archive, now: () => GENERATED_AT, logger: silentLogger },
    {
      workspaces: [{ name: WORKSPACE, lister: { listAll } }],
      runId: 'bench',
      timeZone: 'UTC',
      from: 'audit@example.com',
      to: ['ops@example.com'],
      dryRun: true,
      writeHistory: history !== undefined,
      checkAgents: false,
      onDemandHint: 'Run it from the Lambda console.',
    },
  );
  const ms = performance.now() - started;
  if (outcome.status === 'duplicate') throw new Error('bench: unexpected duplicate run');
  const run: AuditRun = outcome;
  return {
    ms,
    emailMs,
    attachment: run.email.attachment,
    rawBytes: run.email.raw.length,
    csvBytes: Buffer.byteLength(run.report.csv),
    archivedBytes: archive?.bytesWritten ?? 0,
  };
}
