// Render the report, build the email around it and send it (or not, on a dry run).
import type { SendHooks } from './claim';
import type { RunAuditDeps } from './ports';
import { renderBodies, renderReport, type RenderedReport, type ReportContext } from './report';
import type { AuditRun, RunAuditOptions } from './run-types';
import type { AttachmentMode } from './types';
import type { WorkspaceOutcome } from './workspace';

export interface SentReport {
  /** The email's report context with the CSV attached (what the archive keeps). */
  context: ReportContext;
  report: RenderedReport;
  email: AuditRun['email'];
  dryRun: boolean;
  /** Problems that did not stop the send. */
  warnings: string[];
}

export async function renderAndSend(
  deps: RunAuditDeps,
  options: RunAuditOptions,
  workspaces: WorkspaceOutcome[],
  hooks: SendHooks,
): Promise<SentReport> {
  const { logger } = deps;
  const generatedAt = deps.now();
  const contextFor = (attachment: AttachmentMode): ReportContext => ({
    generatedAt,
    timeZone: options.timeZone,
    workspaces,
    attachment,
    onDemandHint: options.onDemandHint,
    triggers: options.triggers,
  });
  const report = renderReport(contextFor('csv'));
  const built = await deps.emailBuilder.build({
    from: options.from,
    to: options.to,
    replyTo: options.replyTo,
    date: generatedAt,
    csv: report.csv,
    render: (mode) => (mode === 'csv' ? report : renderBodies(contextFor(mode))),
  });
  if (built.attachment !== 'csv') {
    logger.warn('the CSV did not fit in the email as it is', {
      attachment: built.attachment,
      rawBytes: built.raw.length,
    });
  }

  const dryRun = options.dryRun === true;
  const warnings: string[] = [];
  let messageId: string | undefined;
  if (!dryRun) {
    if (!deps.mailer) throw new Error('runAudit: a mailer is required unless dryRun is set');
    await hooks.beforeSend();
    ({ messageId } = await deps.mailer.sendRaw(built.raw, { from: options.from, to: options.to }));
    logger.info('report sent', { messageId, recipients: options.to.length, rawBytes: built.raw.length });
    const warning = await hooks.afterSend(messageId);
    if (warning !== undefined) warnings.push(warning);
  }
  return {
    context: contextFor('csv'),
    report,
    email: { raw: built.raw, attachment: built.attachment, messageId },
    dryRun,
    warnings,
  };
}
