// The one audit run every entry point (Lambda, CLI, demo) calls: list -> normalize -> audit ->
// render -> build the email -> send. Adapters come in through `deps`; nothing here touches AWS,
// the network or the clock directly.
import { auditNumbers } from './audit';
import { normalizeAll } from './normalize';
import type { ListProgress, Logger, NumberLister, RawMailer } from './ports';
import { renderBodies, renderReport, type RenderedBodies, type RenderedReport } from './report';
import type { AttachmentMode, AuditResult, ListFilters, ListingStats, PhoneNumber } from './types';

/** Builds the raw MIME for a report, shrinking the CSV attachment (gzip, then leave out) to fit. */
export interface ReportEmailBuilder {
  build(input: {
    from: string;
    to: string[];
    replyTo?: string[];
    date: Date;
    csv: string;
    /** Renders the subject and bodies for an attachment mode, so the email can say what happened. */
    render: (mode: AttachmentMode) => RenderedBodies;
  }): Promise<{ raw: Buffer; attachment: AttachmentMode }>;
}

export interface RunAuditDeps {
  lister: NumberLister;
  emailBuilder: ReportEmailBuilder;
  /** Needed unless every run is a dry run. */
  mailer?: RawMailer;
  now: () => Date;
  logger: Logger;
}

export interface RunAuditOptions {
  workspaceName: string;
  timeZone: string;
  filters?: ListFilters;
  from: string;
  to: string[];
  replyTo?: string[];
  /** Build everything, send nothing. */
  dryRun?: boolean;
  /** Epoch ms by which the listing must be done (leave room to render and send). */
  listDeadline?: number;
  onDemandHint: string;
  onProgress?: (progress: ListProgress) => void;
}

export interface AuditRun {
  workspaceName: string;
  generatedAt: Date;
  filters: ListFilters;
  complete: boolean;
  incompleteReason?: string;
  reportedTotal: number | null;
  stats: ListingStats;
  numbers: PhoneNumber[];
  audit: AuditResult;
  report: RenderedReport;
  email: {
    raw: Buffer;
    attachment: AttachmentMode;
    /** Set when the email was sent (not on a dry run). */
    messageId?: string;
  };
  dryRun: boolean;
}

export async function runAudit(deps: RunAuditDeps, options: RunAuditOptions): Promise<AuditRun> {
  const { logger } = deps;
  const filters = options.filters ?? {};
  const listing = await deps.lister.listAll({
    filters,
    deadline: options.listDeadline,
    onProgress: options.onProgress,
  });
  logger.info('listing finished', { ...listing.stats, reportedTotal: listing.reportedTotal, complete: listing.complete });
  if (!listing.complete) {
    logger.warn('listing is incomplete; the report is marked INCOMPLETE', { reason: listing.incompleteReason });
  }

  const numbers = normalizeAll(listing.records);
  const audit = auditNumbers(numbers);
  const generatedAt = deps.now();
  const contextFor = (attachment: AttachmentMode) => ({
    workspaceName: options.workspaceName,
    generatedAt,
    timeZone: options.timeZone,
    filters,
    complete: listing.complete,
    incompleteReason: listing.incompleteReason,
    audit,
    attachment,
    onDemandHint: options.onDemandHint,
  });
  const report = renderReport(contextFor('csv'), numbers);

  const built = await deps.emailBuilder.build({
    from: options.from,
    to: options.to,
    replyTo: options.replyTo,
    date: generatedAt,
    csv: report.csv,
    render: (mode) => (mode === 'csv' ? report : renderBodies(contextFor(mode))),
  });
  if (built.attachment !== 'csv') {
    logger.warn('the CSV did not fit in the email as it is', { attachment: built.attachment, rawBytes: built.raw.length });
  }

  const dryRun = options.dryRun === true;
  let messageId: string | undefined;
  if (!dryRun) {
    if (!deps.mailer) throw new Error('runAudit: a mailer is required unless dryRun is set');
    ({ messageId } = await deps.mailer.sendRaw(built.raw, { from: options.from, to: options.to }));
    logger.info('report sent', { messageId, recipients: options.to.length, rawBytes: built.raw.length });
  }

  return {
    workspaceName: options.workspaceName,
    generatedAt,
    filters,
    complete: listing.complete,
    incompleteReason: listing.incompleteReason,
    reportedTotal: listing.reportedTotal,
    stats: listing.stats,
    numbers,
    audit,
    report,
    email: { raw: built.raw, attachment: built.attachment, messageId },
    dryRun,
  };
}
