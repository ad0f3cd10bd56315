// What both fan-out tasks (workspace task, plan + roll-up task) are wired with, created once per
// cold start like the single function's adapters in index.ts.
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { S3Archive, S3ObjectStore } from '../adapters/archive/s3-archive';
import { awsClientOptions } from '../adapters/aws/client-options';
import { EventBridgePublisher, type EventPublisher } from '../adapters/events/eventbridge-publisher';
import { createReportEmailBuilder } from '../adapters/email/report-email-builder';
import { createSesClient, SesRawMailer } from '../adapters/ses/ses-mailer';
import { ConfigError } from '../core/errors';
import type { RunAuditDeps } from '../core/ports';
import { envReader, SETTINGS } from '../settings';
import { type HandlerConfig, readHandlerConfig } from './config';
import { logger } from './observability';

export interface FanOutContext {
  config: HandlerConfig;
  /** Every workspace secret's name starts with it (the role may read no other). */
  secretPrefix: string;
  secretField: string;
  store: S3ObjectStore;
  secretsClient: SecretsManagerClient;
  history: S3Archive;
  deps: RunAuditDeps;
  /** The run event's bus (publishEvents); only the roll-up puts events. */
  events?: EventPublisher;
}

export function createFanOutContext(env: Record<string, string | undefined> = process.env): FanOutContext {
  const config = readHandlerConfig(env, { workspaces: false });
  const { need } = envReader(env);
  const bucket = config.archiveBucket;
  // Summaries, checkpoints and claims all live in the bucket: fan-out cannot run without it.
  if (bucket === undefined) throw new ConfigError(SETTINGS.archiveBucket.env, 'is required for the fan-out tasks');
  const client = new S3Client(awsClientOptions());
  const history = new S3Archive({ bucket, client });
  return {
    config,
    secretPrefix: need(SETTINGS.workspaceSecretPrefix),
    secretField: need(SETTINGS.secretField),
    store: new S3ObjectStore(client, bucket),
    secretsClient: new SecretsManagerClient(awsClientOptions()),
    history,
    events: config.publishEvents ? new EventBridgePublisher() : undefined,
    deps: {
      emailBuilder: createReportEmailBuilder(),
      mailer: new SesRawMailer({ client: createSesClient(), configurationSetName: config.configurationSetName }),
      archive: history,
      idempotency: history,
      now: () => new Date(),
      logger,
    },
  };
}
