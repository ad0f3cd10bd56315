// What the function is told, as environment variables: names, ARNs and settings, never a key. The
// handler reads them back in lambda/handler/config.ts. Lambda caps them at 4 KB together, which a
// rate card or a long workspace list can reach, so the size is checked at synth.
import { Token } from 'aws-cdk-lib';
import { ConfigError } from '../lambda/core/errors';
import type { SecretRef, StackConfig } from './config';

/** The handler's custom EMF metrics (Powertools: this namespace, dimension service=<service>). */
export const AUDIT_METRICS = { namespace: 'NumberAudit', service: 'number-audit' } as const;

/** Lambda rejects a function whose variables, as the JSON it measures, exceed 4 KB. */
export const LAMBDA_ENV_LIMIT_BYTES = 4096;

/** The function's environment: names, ARNs and settings only; the keys are read at run time. */
export function functionEnvironment(config: StackConfig, archiveBucket: string): Record<string, string> {
  const enabledTriggers = Object.entries(config.actionTriggers)
    .filter(([, on]) => on)
    .map(([t]) => t);
  const env: Record<string, string> = {
    ...(config.workspaces
      ? {
          WORKSPACES: JSON.stringify(
            config.workspaces.map((w) => ({
              name: w.name,
              secretId: secretId(w.secret),
              // The handler falls back to DIALNEXA_SECRET_FIELD; repeating it would only cost bytes.
              ...(w.secretField !== config.secretField ? { secretField: w.secretField } : {}),
            })),
          ),
        }
      : { DIALNEXA_SECRET_ID: secretId(config.secret), WORKSPACE_NAME: config.workspaceName }),
    DIALNEXA_SECRET_FIELD: config.secretField,
    DIALNEXA_BASE_URL: config.baseUrl,
    REPORT_RECIPIENTS: config.recipients.join(','),
    REPORT_SENDER: config.sender,
    REPORT_TIME_ZONE: config.timeZone,
    RUN_DEADLINE_MARGIN_MS: String(config.runDeadlineMarginSeconds * 1000),
    ARCHIVE_BUCKET: archiveBucket,
    ACTION_TRIGGERS: enabledTriggers.length ? enabledTriggers.join(',') : 'none',
    CHECK_AGENTS: String(config.checkAgents),
    // A claim outlives the attempt that made it (the timeout) by a minute; a retry after that may take it over.
    // The claim is taken after listing and covers rendering and sending: the margin kept for
    // them plus two minutes. A claim older than that belongs to an attempt that died.
    IDEMPOTENCY_LEASE_SECONDS: String(config.runDeadlineMarginSeconds + 120),
    POWERTOOLS_SERVICE_NAME: AUDIT_METRICS.service,
    POWERTOOLS_METRICS_NAMESPACE: AUDIT_METRICS.namespace,
    POWERTOOLS_LOG_LEVEL: 'INFO',
  };
  if (config.rateCard) env.RATE_CARD = JSON.stringify(config.rateCard);
  if (config.replyTo?.length) env.REPORT_REPLY_TO = config.replyTo.join(',');
  if (config.sesConfigurationSet) env.SES_CONFIGURATION_SET = config.sesConfigurationSet;
  return env;
}

/** The context key an operator shortens when a variable makes the environment too big. */
const ENV_SOURCES: Record<string, [key: string, advice: string]> = {
  RATE_CARD: ['rateCard', 'fold countries that share a price into a "*" row'],
  WORKSPACES: [
    'workspaces',
    'use secret names instead of full ARNs and shorter workspace names, or split the workspaces over two stacks (stackName)',
  ],
  REPORT_RECIPIENTS: ['recipients', 'send to a distribution list instead of each address'],
  REPORT_REPLY_TO: ['replyTo', 'use one address'],
};

/** S3 bucket names are at most 63 characters; the name is unknown until deploy. */
const LONGEST_TOKEN_VALUE = 'x'.repeat(63);

/**
 * Fails synth, naming the context key to shorten, when Lambda would reject the environment at
 * deploy time. Lambda measures the JSON of all variables; unresolved values count at their longest.
 */
export function checkEnvironmentSize(env: Record<string, string>): number {
  const concrete = Object.fromEntries(
    Object.entries(env).map(([k, v]) => [k, Token.isUnresolved(v) ? LONGEST_TOKEN_VALUE : v]),
  );
  const size = Buffer.byteLength(JSON.stringify(concrete), 'utf8');
  if (size <= LAMBDA_ENV_LIMIT_BYTES) return size;
  // What one variable adds to that JSON: `"NAME":"value"` with the value's quotes escaped.
  const share = (name: string): number =>
    Buffer.byteLength(`${JSON.stringify(name)}:${JSON.stringify(concrete[name])}`, 'utf8');
  const [variable] = Object.keys(ENV_SOURCES)
    .filter((v) => concrete[v] !== undefined)
    .sort((a, b) => share(b) - share(a));
  const [key, advice] = variable ? ENV_SOURCES[variable] : ['environment', 'shorten the longest values'];
  throw new ConfigError(
    key,
    `makes the function's environment ${size} bytes, over Lambda's limit of ${LAMBDA_ENV_LIMIT_BYTES} bytes for all variables together` +
      (variable ? ` (${variable} takes ${share(variable)})` : '') +
      `; ${advice}`,
  );
}

function secretId(secret: SecretRef): string {
  return secret.kind === 'name' ? secret.name : secret.arn;
}
