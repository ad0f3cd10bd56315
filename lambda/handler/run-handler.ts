// The single function's invocation path, loaded by index.ts on the first invocation: adapters are
// created once from the config, then each invocation parses its event, runs the one shared audit,
// and returns a JSON summary.
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Context } from 'aws-lambda';
import { S3Archive } from '../adapters/archive/s3-archive';
import { S3InventorySource } from '../adapters/archive/s3-inventory';
import { EventBridgePublisher } from '../adapters/events/eventbridge-publisher';
import { awsClientOptions } from '../adapters/aws/client-options';
import { createDialNexaClient } from '../adapters/dialnexa';
import { createReportEmailBuilder } from '../adapters/email/report-email-builder';
import { createSecretsManagerKeySource } from '../adapters/secrets/secrets-manager-key-source';
import type * as SesMailer from '../adapters/ses/ses-mailer';
import { isAuditError } from '../core/errors';
import type { RawMailer, RunAuditDeps, WorkspaceSpec } from '../core/ports';
import { runAudit, type AuditRun, type RunAuditOptions } from '../core/run-audit';
import type { HandlerConfig } from './config';
import { type AuditEvent, idempotencyKeyOf, parseEvent } from './event';
import { METRIC } from './metric-names';
import { configRunOptions, listDeadlineOf } from './run-options';
import { logger, metrics, MetricUnit, powertoolsLogger } from './observability';
import { publishRunEvent } from './publish-event';
import { errorSummary, failedRunEvent, runEvent } from './run-event';
import { recordDashboardMetrics } from './run-metrics';
import { toDuplicateSummary, toLambdaSummary, type LambdaSummary } from './summary';

interface RunContext {
  config: HandlerConfig;
  workspaces: WorkspaceSpec[];
  deps: RunAuditDeps;
  history?: S3Archive;
  events?: EventBridgePublisher;
}

export type AuditHandler = (event: unknown, context: Context) => Promise<LambdaSummary>;

/** The adapters, created once per container from the config index.ts read at cold start. */
export function createRunHandler(config: HandlerConfig): AuditHandler {
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
  const mailer = onFirstSend(async () => {
    // require, not import(): esbuild then defers the module (and @aws-sdk/client-ses) to this call.
    const { createSesClient, SesRawMailer }: typeof SesMailer = require('../adapters/ses/ses-mailer');
    return new SesRawMailer({ client: createSesClient(), configurationSetName: config.configurationSetName });
  });
  const history = config.archiveBucket
    ? new S3Archive({ bucket: config.archiveBucket, client: new S3Client(awsClientOptions()) })
    : undefined;
  const deps: RunAuditDeps = {
    emailBuilder: createReportEmailBuilder(),
    mailer,
    archive: history,
    idempotency: history,
    inventory: config.archiveBucket
      ? new S3InventorySource(new S3Client(awsClientOptions()), config.archiveBucket)
      : undefined,
    now: () => new Date(),
    logger,
  };
  const run: RunContext = {
    config,
    workspaces,
    deps,
    history,
    events: config.publishEvents ? new EventBridgePublisher() : undefined,
  };
  return (event, context) => invoke(run, event, context);
}

/** SES's client is loaded on the first send, not at cold start: a dry run never loads it. */
function onFirstSend(load: () => Promise<RawMailer>): RawMailer {
  let loaded: Promise<RawMailer> | undefined;
  return {
    async sendRaw(raw, envelope) {
      loaded ??= load();
      return (await loaded).sendRaw(raw, envelope);
    },
  };
}

async function invoke(run: RunContext, event: unknown, context: Context): Promise<LambdaSummary> {
  const { config, deps, history, events } = run;
  powertoolsLogger.addContext(context);
  const startedAt = Date.now();
  try {
    const ev = parseEvent(event, config.allowedRecipientDomains);
    powertoolsLogger.appendKeys({ scheduleArn: ev.scheduleArn, scheduledTime: ev.scheduledTime?.toISOString() });
    if (!history && ev.scheduleArn)
      logger.warn('no ARCHIVE_BUCKET: duplicate deliveries of this schedule time are not detected');
    const outcome = await runAudit(deps, runOptions(run, ev, context));
    const durationMs = Date.now() - startedAt;
    if (outcome.status === 'duplicate') {
      metrics.addMetric(METRIC.DuplicateDeliveries, MetricUnit.Count, 1);
      metrics.addMetric(METRIC.UncertainDelivery, MetricUnit.Count, outcome.uncertain ? 1 : 0);
      return toDuplicateSummary(outcome, durationMs);
    }
    recordRun(outcome, durationMs);
    // A dry run sends nothing: no email, no event.
    if (!outcome.dryRun) {
      await publishRunEvent(events, () => runEvent(outcome, event, config.triggers), [context.invokedFunctionArn]);
    }
    return toLambdaSummary(outcome, durationMs, outcome.dryRun ? 0 : recipientsOf(config, ev).length);
  } catch (error) {
    metrics.addMetric(METRIC.FailedRuns, MetricUnit.Count, 1);
    // SES's answer was lost: the report may or may not have gone out, and no retry will resend it.
    metrics.addMetric(
      METRIC.UncertainDelivery,
      MetricUnit.Count,
      isAuditError(error) && error.code === 'DELIVERY_UNCERTAIN' ? 1 : 0,
    );
    logFailure(error);
    await publishRunEvent(events, () => failedRunEvent(context.awsRequestId, event, errorSummary(error)), [
      context.invokedFunctionArn,
    ]);
    throw error;
  } finally {
    metrics.publishStoredMetrics();
    powertoolsLogger.resetKeys();
  }
}

/** The event's recipients override the configured ones (a console test to oneself). */
function recipientsOf(config: HandlerConfig, ev: AuditEvent): string[] {
  return ev.recipients ?? config.recipients;
}

function runOptions({ config, workspaces, history }: RunContext, ev: AuditEvent, context: Context): RunAuditOptions {
  return {
    ...configRunOptions(config),
    workspaces,
    runId: context.awsRequestId,
    timeZone: config.timeZone,
    filters: { countryCode: ev.countryCode, type: ev.type },
    from: config.sender,
    to: recipientsOf(config, ev),
    dryRun: ev.dryRun,
    listDeadline: listDeadlineOf(config, context.getRemainingTimeInMillis()),
    onDemandHint: `Run it now from the Lambda console: open ${config.functionName}, Test, with the event {} (or {"dryRun": true} to send nothing).`,
    writeHistory: !ev.dryRun,
    // A console run sent to other recipients (a test to oneself) must not hide this week's
    // changes from the team's next report.
    moveBaseline: ev.recipients === undefined,
    confirmBaseline: ev.confirmBaseline,
    idempotencyKey: ev.dryRun || !history ? undefined : idempotencyKeyOf(ev, context.awsRequestId),
  };
}

/** The run's metrics (the stack's alarms watch them) and its closing log line. */
function recordRun(run: AuditRun, durationMs: number): void {
  metrics.addMetric(METRIC.TotalNumbers, MetricUnit.Count, run.combined.total);
  metrics.addMetric(METRIC.UnroutedNumbers, MetricUnit.Count, run.combined.unrouted.length);
  metrics.addMetric(
    METRIC.ListingRetries,
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
  recordDashboardMetrics(run);
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
    ...errorSummary(error),
    message: error instanceof Error ? error.message : String(error),
    // The SDK error behind ours carries the AWS request id support will ask for.
    cause: cause instanceof Error ? `${cause.name}: ${cause.message}` : undefined,
    requestId: (cause as { $metadata?: { requestId?: string } } | undefined)?.$metadata?.requestId,
  });
}
