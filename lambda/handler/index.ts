// Lambda entry point: a composition root. Config is read and adapters are created once per cold
// start; each invocation parses its event, runs the one shared audit, and returns a JSON summary.
import { createHash } from 'node:crypto';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Context } from 'aws-lambda';
import { S3Archive } from '../adapters/archive/s3-archive';
import { awsClientOptions } from '../adapters/aws/client-options';
import { createDialNexaClient } from '../adapters/dialnexa';
import { createReportEmailBuilder } from '../adapters/email/report-email-builder';
import { createSecretsManagerKeySource } from '../adapters/secrets/secrets-manager-key-source';
import { createSesClient, SesRawMailer } from '../adapters/ses/ses-mailer';
import { DeliveryUncertainError, isAuditError } from '../core/errors';
import type { RunAuditDeps, WorkspaceSpec } from '../core/ports';
import { runAudit, type AuditRun, type RunAuditOptions } from '../core/run-audit';
import { readHandlerConfig } from './config';
import { parseEvent, type AuditEvent } from './event';
import { METRIC } from './metric-names';
import { logger, metrics, MetricUnit, powertoolsLogger } from './observability';
import { toDuplicateSummary, toLambdaSummary, type LambdaSummary } from './summary';

const config = readHandlerConfig();

const secretsClient = new SecretsManagerClient(awsClientOptions());
const workspaces: WorkspaceSpec[] = config.workspaces.map((ws) => ({
  name: ws.name,
  lister: createDialNexaClient({
    baseUrl: config.baseUrl,
    keySource: createSecretsManagerKeySource({
      secretId: ws.secretId,
      field: ws.secretField,
      maxAgeSeconds: config.secretMaxAgeSeconds,
      client: secretsClient,
      settingName: ws.setting,
    }),
    logger,
  }),
}));
const mailer = new SesRawMailer({ client: createSesClient(), configurationSetName: config.configurationSetName });
const emailBuilder = createReportEmailBuilder();
const history = config.archiveBucket
  ? new S3Archive({ bucket: config.archiveBucket, client: new S3Client(awsClientOptions()) })
  : undefined;
const deps: RunAuditDeps = {
  emailBuilder,
  mailer,
  archive: history,
  idempotency: history,
  now: () => new Date(),
  logger,
};

/**
 * Scheduler delivers at least once (a redelivery gets a new request id) and Lambda retries failed
 * asynchronous invocations (with the same request id): one schedule time, or one invocation,
 * one email.
 */
function idempotencyKeyOf(ev: AuditEvent, requestId: string): string {
  if (ev.idempotencyKey) return ev.idempotencyKey;
  if (ev.scheduleArn && ev.scheduledTime) {
    return createHash('sha256').update(`${ev.scheduleArn}|${ev.scheduledTime.toISOString()}`).digest('hex');
  }
  return `invocation-${requestId.replace(/[^A-Za-z0-9_-]/g, '')}`;
}

export async function handler(event: unknown, context: Context): Promise<LambdaSummary> {
  powertoolsLogger.addContext(context);
  const startedAt = Date.now();
  try {
    const ev = parseEvent(event, config.allowedRecipientDomains);
    powertoolsLogger.appendKeys({ scheduleArn: ev.scheduleArn, scheduledTime: ev.scheduledTime?.toISOString() });
    if (!history && ev.scheduleArn)
      logger.warn('no ARCHIVE_BUCKET: duplicate deliveries of this schedule time are not detected');
    const outcome = await runAudit(deps, runOptions(ev, context, startedAt));
    const durationMs = Date.now() - startedAt;
    if (outcome.status === 'duplicate') {
      metrics.addMetric(METRIC.DuplicateDeliveries, MetricUnit.Count, 1);
      metrics.addMetric(METRIC.UncertainDelivery, MetricUnit.Count, outcome.uncertain ? 1 : 0);
      return toDuplicateSummary(outcome, durationMs);
    }
    recordRun(outcome, durationMs);
    return toLambdaSummary(outcome, durationMs, outcome.dryRun ? 0 : recipientsOf(ev).length);
  } catch (error) {
    metrics.addMetric(METRIC.FailedRuns, MetricUnit.Count, 1);
    // SES's answer was lost: the report may or may not have gone out, and no retry will resend it.
    metrics.addMetric(METRIC.UncertainDelivery, MetricUnit.Count, error instanceof DeliveryUncertainError ? 1 : 0);
    logFailure(error);
    throw error;
  } finally {
    metrics.publishStoredMetrics();
    powertoolsLogger.resetKeys();
  }
}

/** The event's recipients override the configured ones (a console test to oneself). */
function recipientsOf(ev: AuditEvent): string[] {
  return ev.recipients ?? config.recipients;
}

function runOptions(ev: AuditEvent, context: Context, startedAt: number): RunAuditOptions {
  return {
    workspaces,
    runId: context.awsRequestId,
    timeZone: config.timeZone,
    filters: { countryCode: ev.countryCode, type: ev.type },
    from: config.sender,
    to: recipientsOf(ev),
    replyTo: config.replyTo,
    dryRun: ev.dryRun,
    listDeadline: startedAt + context.getRemainingTimeInMillis() - config.deadlineMarginMs,
    onDemandHint: `Run it now from the Lambda console: open ${config.functionName}, Test, with the event {} (or {"dryRun": true} to send nothing).`,
    rateCard: config.rateCard,
    triggers: config.triggers,
    checkAgents: config.checkAgents,
    checkUsage: config.usage.check,
    usageWindowDays: config.usage.windowDays,
    usageRequestBudget: config.usage.budget,
    writeHistory: !ev.dryRun,
    // A console run sent to other recipients (a test to oneself) must not hide this week's
    // changes from the team's next report.
    moveBaseline: ev.recipients === undefined,
    maxBaselineLoss: config.maxBaselineLoss,
    confirmBaseline: ev.confirmBaseline,
    idempotencyKey: ev.dryRun || !history ? undefined : idempotencyKeyOf(ev, context.awsRequestId),
    leaseMs: config.idempotencyLeaseMs,
    // A live owner holds the claim only while it renders and sends (seconds): wait that out
    // within the time kept back after listing.
    claimWaitMs: Math.min(15_000, Math.floor(config.deadlineMarginMs / 2)),
  };
}

/** The run's metrics (the stack's alarms watch them) and its closing log line. */
function recordRun(run: AuditRun, durationMs: number): void {
  metrics.addMetric(METRIC.TotalNumbers, MetricUnit.Count, run.combined.total);
  metrics.addMetric(METRIC.UnroutedNumbers, MetricUnit.Count, run.combined.unrouted.length);
  metrics.addMetric(
    'ListingRetries',
    MetricUnit.Count,
    run.workspaces.reduce((sum, w) => sum + (w.ok ? w.stats.retries : 0), 0),
  );
  metrics.addMetric(
    METRIC.IncompleteListings,
    MetricUnit.Count,
    run.workspaces.filter((w) => w.ok && !w.complete).length,
  );
  metrics.addMetric(METRIC.FailedWorkspaces, MetricUnit.Count, run.failedWorkspaces);
  metrics.addMetric(METRIC.ArchiveFailures, MetricUnit.Count, run.archiveFailures);
  metrics.addMetric(METRIC.RunDuration, MetricUnit.Milliseconds, durationMs);
  metrics.addMetric(METRIC.UncertainDelivery, MetricUnit.Count, 0);
  logger.info('audit finished', {
    total: run.combined.total,
    unrouted: run.combined.unrouted.length,
    complete: run.complete,
    failedWorkspaces: run.failedWorkspaces,
    dryRun: run.dryRun,
    durationMs,
  });
}

function logFailure(error: unknown): void {
  const cause = error instanceof Error ? error.cause : undefined;
  logger.error('audit failed', {
    errorType: error instanceof Error ? error.name : typeof error,
    code: isAuditError(error) ? error.code : undefined,
    message: error instanceof Error ? error.message : String(error),
    // The SDK error behind ours carries the AWS request id support will ask for.
    cause: cause instanceof Error ? `${cause.name}: ${cause.message}` : undefined,
    requestId: (cause as { $metadata?: { requestId?: string } } | undefined)?.$metadata?.requestId,
  });
}
