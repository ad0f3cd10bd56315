// Render the report, build the email around it and send it (or not, on a dry run).
import type { SendHooks } from './claim';
import { API_TEXT_MAX_CHARS } from './api-text';
import type { EmailFit, RunAuditDeps } from './ports';
import { hasCutText, renderBodies, renderCsv, renderReport, type RenderedReport, type ReportContext } from './report';
import type { AuditRun, RunAuditOptions } from './run-types';
import type { WorkspaceOutcome } from './workspace';

/** The report as it is meant to be read: every part, the CSV with full texts. */
const AS_IS: EmailFit = { attachment: 'csv', csvCut: false };

const LONG_TEXTS = `Nicknames, providers and statuses longer than ${API_TEXT_MAX_CHARS} characters are cut in this email`;
/** Where the full texts are, for the email that is actually sent. */
function cutTextNote({ attachment, csvCut }: EmailFit): string {
  if (attachment === 'omitted' || attachment === 'summary') return `${LONG_TEXTS}.`;
  return csvCut ? `${LONG_TEXTS} and, to fit, in the CSV too.` : `${LONG_TEXTS}; the CSV has them in full.`;
}

export interface SentReport {
  email: AuditRun['email'];
  dryRun: boolean;
  /** Problems that did not stop the send. */
  warnings: string[];
}

/** The report rendered as it is meant to be read, before the email is fitted to SES's limit. */
export interface RenderedForSend {
  workspaces: WorkspaceOutcome[];
  /** The report context for a way the email fits. */
  contextFor: (fit: EmailFit) => ReportContext;
  cut: boolean;
  /** The context with the CSV attached as it is: the report's, and what the archive keeps. */
  context: ReportContext;
  report: RenderedReport;
}

export function renderForSend(
  deps: RunAuditDeps,
  options: RunAuditOptions,
  workspaces: WorkspaceOutcome[],
): RenderedForSend {
  const generatedAt = deps.now();
  const cut = hasCutText(workspaces);
  const contextFor = ({ attachment, csvCut }: EmailFit): ReportContext => ({
    generatedAt,
    timeZone: options.timeZone,
    workspaces,
    attachment,
    ...(cut ? { attachmentNote: cutTextNote({ attachment, csvCut }) } : {}),
    onDemandHint: options.onDemandHint,
    triggers: options.triggers,
  });
  const context = contextFor(AS_IS);
  return { workspaces, contextFor, cut, context, report: renderReport(context) };
}

export async function sendRendered(
  deps: RunAuditDeps,
  options: RunAuditOptions,
  { workspaces, contextFor, cut, context, report }: RenderedForSend,
  hooks: SendHooks,
): Promise<SentReport> {
  const { logger } = deps;
  const built = await deps.emailBuilder.build({
    from: options.from,
    to: options.to,
    replyTo: options.replyTo,
    date: context.generatedAt,
    csv: report.csv,
    ...(cut ? { cutCsv: () => renderCsv(workspaces, 'bounded') } : {}),
    render: (fit) => (fit.attachment === 'csv' && !fit.csvCut ? report : renderBodies(contextFor(fit))),
  });
  if (built.attachment !== 'csv' || built.csvCut) {
    logger.warn('the report did not fit in the email as it is', {
      attachment: built.attachment,
      csvCut: built.csvCut,
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
    email: { raw: built.raw, attachment: built.attachment, csvCut: built.csvCut, messageId },
    dryRun,
    warnings,
  };
}
