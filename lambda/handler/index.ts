// Lambda entry point: a composition root. Config is read and adapters are created once per cold
// start; each invocation parses its event, runs the one shared audit, and returns a JSON summary.
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESClient } from '@aws-sdk/client-ses';
import type { Context } from 'aws-lambda';
import { createDialNexaClient } from '../adapters/dialnexa';
import { createReportEmailBuilder } from '../adapters/email/report-email-builder';
import { createSecretsManagerKeySource } from '../adapters/secrets/secrets-manager-key-source';
import { SesRawMailer } from '../adapters/ses/ses-mailer';
import { isAuditError } from '../core/errors';
import { runAudit } from '../core/run-audit';
import { readHandlerConfig } from './config';
import { parseEvent } from './event';
import { logger, metrics, MetricUnit, powertoolsLogger } from './observability';
import { toLambdaSummary, type LambdaSummary } from './summary';

const config = readHandlerConfig();

const keySource = createSecretsManagerKeySource({
  secretId: config.secretId,
  field: config.secretField,
  maxAgeSeconds: config.secretMaxAgeSeconds,
  client: new SecretsManagerClient({}),
});
const client = createDialNexaClient({ baseUrl: config.baseUrl, keySource, logger });
const mailer = new SesRawMailer({ client: new SESClient({}), configurationSetName: config.configurationSetName });
const emailBuilder = createReportEmailBuilder();

export async function handler(event: unknown, context: Context): Promise<LambdaSummary> {
  powertoolsLogger.addContext(context);
  const startedAt = Date.now();
  try {
    const ev = parseEvent(event);
    powertoolsLogger.appendKeys({ scheduleArn: ev.scheduleArn, scheduledTime: ev.scheduledTime?.toISOString() });
    const recipients = ev.recipients ?? config.recipients;
    const run = await runAudit(
      { lister: client, emailBuilder, mailer, now: () => new Date(), logger },
      {
        workspaceName: config.workspaceName,
        timeZone: config.timeZone,
        filters: { countryCode: ev.countryCode, type: ev.type },
        from: config.sender,
        to: recipients,
        replyTo: config.replyTo,
        dryRun: ev.dryRun,
        listDeadline: startedAt + context.getRemainingTimeInMillis() - config.deadlineMarginMs,
        onDemandHint: `Run it now from the Lambda console: open ${config.functionName}, Test, with the event {} (or {"dryRun": true} to send nothing).`,
      },
    );
    const durationMs = Date.now() - startedAt;
    metrics.addMetric('TotalNumbers', MetricUnit.Count, run.audit.total);
    metrics.addMetric('UnroutedNumbers', MetricUnit.Count, run.audit.unrouted.length);
    metrics.addMetric('ListingRetries', MetricUnit.Count, run.stats.retries);
    metrics.addMetric('IncompleteListings', MetricUnit.Count, run.complete ? 0 : 1);
    metrics.addMetric('RunDuration', MetricUnit.Milliseconds, durationMs);
    logger.info('audit finished', {
      total: run.audit.total,
      unrouted: run.audit.unrouted.length,
      complete: run.complete,
      dryRun: run.dryRun,
      durationMs,
    });
    return toLambdaSummary(run, durationMs, run.dryRun ? 0 : recipients.length);
  } catch (error) {
    metrics.addMetric('FailedRuns', MetricUnit.Count, 1);
    logger.error('audit failed', {
      errorType: error instanceof Error ? error.name : typeof error,
      code: isAuditError(error) ? error.code : undefined,
      message: error instanceof Error ? error.message : String(error),
    });
    throw error;
  } finally {
    metrics.publishStoredMetrics();
    powertoolsLogger.resetKeys();
  }
}
