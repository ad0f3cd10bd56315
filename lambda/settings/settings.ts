// Every setting, declared once: its names on each surface (CDK context key, the function's
// environment variable, the CLI flag), its default, how its value is read and one line for the docs.
// The stack (lib/config.ts) reads context with it and writes the function's environment from it, the
// function (lambda/handler/config.ts) reads that environment back with it, and the CLI
// (lambda/cli/args.ts) takes its defaults from it. docs/configuration.md is rendered from it.
import type * as z from 'zod';
import {
  parseBoolean,
  parseEmail,
  parseEmailList,
  parseHttpsUrl,
  parseIntInRange,
  parseTimeZone,
} from '../core/validation';
import { ConfigError } from '../core/errors';
import { DEFAULT_ACTION_TRIGGERS, type ActionTriggers } from '../core/types';
import { DEFAULT_USAGE_REQUEST_BUDGET, DEFAULT_USAGE_WINDOW_DAYS } from '../core/usage';
import type { RateCard } from '../core/rate-card';
import { parseCron } from './cron';
import { asInteger, asList, type RawValue, text, validated } from './schema';
import {
  parseBucketName,
  parseConfigurationSet,
  parseKmsKeyArn,
  parseRateCardValue,
  parseRetention,
  parseSecret,
  parseSecretField,
  parseSecretId,
  parseStackName,
  parseTriggerNames,
  parseTriggers,
  parseWorkspaceName,
  secretIdOf,
  triggersText,
  type SecretRef,
  withoutApiVersion,
} from './values';
import { MAX_WORKSPACES, parseWorkspaceList, parseWorkspaceVariable } from './workspaces';
import { MAX_CONTEXT_WORKSPACES } from './registry';
import { parseDomainList, withLowerCaseDomain } from './recipient-domains';

export type Surface = 'context' | 'env' | 'flag';

export interface SettingSpec {
  /** One line for the docs table. */
  readonly doc: string;
  readonly context?: string;
  readonly env?: string;
  readonly flag?: string;
  /** As an operator would write it; read with the surface's schema like any given value. */
  readonly default?: RawValue;
  /** The surfaces the default applies on; all of them when left out. */
  readonly defaultOn?: readonly Surface[];
  /** No default: the stack and the function cannot run without it. Says what to give. */
  readonly required?: string;
  /** Reads the value on every surface that has no schema of its own below. */
  readonly schema: z.ZodType;
  readonly contextSchema?: z.ZodType;
  readonly envSchema?: z.ZodType;
  /** The variable's value for the stack's (context) value, when it is not `String(value)`. */
  toEnv?(value: never): string | undefined;
}

const wholeNumber = (min: number, max: number) =>
  validated((value, setting) => parseIntInRange(setting, asInteger(setting, value), min, max));
const flag = validated((value, setting) => parseBoolean(setting, String(value)));
const emailList = validated((value, setting) => parseEmailList(setting, asList(setting, value)));
const list = (values: readonly string[]) => values.join(',');

/** Kept back from the listing for rendering, the claim, the SES send (30 s timeout) and the archive. */
const DEADLINE_MARGIN_SECONDS = 60;
/** A claim covers rendering and sending: the margin kept for them plus this; older, its attempt died. */
export const LEASE_BEYOND_MARGIN_SECONDS = 120;
/** The previous run is the baseline of the "changes" section: keep it at least a monthly schedule's interval. */
export const MIN_HISTORY_DAYS = 35;

export const SETTINGS = {
  stackName: {
    doc: 'CloudFormation stack name (several stacks with different names for separate schedules or recipients)',
    context: 'stackName',
    default: 'NumberAudit',
    schema: text(parseStackName),
  },
  recipients: {
    doc: '1-50 report addresses, comma-separated (or a JSON array in cdk.json)',
    context: 'recipients',
    env: 'REPORT_RECIPIENTS',
    flag: '--to',
    required: 'one or more email addresses, comma-separated',
    schema: emailList,
    toEnv: list,
  },
  sender: {
    doc: 'The From address; it or its domain must be a verified SES identity',
    context: 'sender',
    env: 'REPORT_SENDER',
    flag: '--from',
    required: 'the verified SES address reports come from',
    // The domain in lower case, as SES identities and the IAM policy's identity ARN spell it.
    schema: text((setting, value) => withLowerCaseDomain(parseEmail(setting, value))),
  },
  replyTo: {
    doc: 'Reply-To addresses, comma-separated',
    context: 'replyTo',
    env: 'REPORT_REPLY_TO',
    flag: '--reply-to',
    schema: emailList,
    toEnv: (addresses: readonly string[]) => (addresses.length ? list(addresses) : undefined),
  },
  secret: {
    doc: 'Name or ARN of the Secrets Manager secret holding the DialNexa API key',
    context: 'secret',
    env: 'DIALNEXA_SECRET_ID',
    flag: '--secret-id',
    // The function and the CLI are always told which secret; only the stack has a conventional name.
    default: 'number-audit/dialnexa',
    defaultOn: ['context'],
    schema: text(parseSecretId),
    // IAM grants a name, a partial ARN and a complete ARN differently.
    contextSchema: text(parseSecret),
    toEnv: secretIdOf,
  },
  secretField: {
    doc: 'The JSON field of the secret that holds the key (a plain-string secret is the key itself)',
    context: 'secretField',
    env: 'DIALNEXA_SECRET_FIELD',
    flag: '--secret-field',
    default: 'apiKey',
    schema: text(parseSecretField),
  },
  secretKmsKeyArn: {
    doc: 'The customer managed KMS key encrypting the secret, if not aws/secretsmanager',
    context: 'secretKmsKeyArn',
    schema: text(parseKmsKeyArn),
  },
  schedule: {
    doc: 'When the report runs: an AWS cron expression, read in timeZone',
    context: 'schedule',
    default: 'cron(0 9 ? * MON *)',
    schema: text(parseCron),
  },
  timeZone: {
    doc: "IANA time zone of the schedule and of the dates in the report (the CLI's default: this machine's)",
    context: 'timeZone',
    env: 'REPORT_TIME_ZONE',
    flag: '--time-zone',
    default: 'UTC',
    schema: text(parseTimeZone),
  },
  alarmEmail: {
    doc: 'Subscribes this address to the alarm topic',
    context: 'alarmEmail',
    schema: text(parseEmail),
  },
  sesConfigurationSet: {
    doc: 'SES configuration set to send with (event publishing, dedicated IPs)',
    context: 'sesConfigurationSet',
    env: 'SES_CONFIGURATION_SET',
    flag: '--configuration-set',
    schema: text(parseConfigurationSet),
  },
  logRetentionDays: {
    doc: 'Log retention in days; a CloudWatch Logs period',
    context: 'logRetentionDays',
    default: 90,
    schema: validated((value, setting) => parseRetention(setting, asInteger(setting, value))),
  },
  functionTimeoutSeconds: {
    // Measured (README Performance): at the observed 150 requests/60 s, 900 s lists ~195k numbers
    // (300 s only ~69k); Lambda bills the time used, not the timeout.
    doc: 'Lambda timeout, 60-900 s; at least runDeadlineMarginSeconds + 30',
    context: 'functionTimeoutSeconds',
    default: 900,
    schema: wholeNumber(60, 900),
  },
  runDeadlineMarginSeconds: {
    doc: 'Seconds kept back from the timeout to render, claim, send and archive, 5-300 (the variable is in ms)',
    context: 'runDeadlineMarginSeconds',
    env: 'RUN_DEADLINE_MARGIN_MS',
    default: DEADLINE_MARGIN_SECONDS,
    schema: wholeNumber(5, 300),
    // Milliseconds: local runs and tests keep back less than the stack's 5 s minimum.
    envSchema: wholeNumber(1000, 300_000),
    toEnv: (seconds: number) => String(seconds * 1000),
  },
  memorySize: {
    // Measured: 100k numbers peak at ~373 MB RSS with history on; 768 MB leaves headroom.
    doc: 'Lambda memory in MB, 128-10240',
    context: 'memorySize',
    default: 768,
    schema: wholeNumber(128, 10240),
  },
  workspaceName: {
    doc: 'Name of the workspace in the subject and body of the email',
    context: 'workspaceName',
    env: 'WORKSPACE_NAME',
    flag: '--workspace-name',
    default: 'DialNexa workspace',
    // One rule everywhere: it appears in the email subject and in terminal output.
    schema: text(parseWorkspaceName),
  },
  baseUrl: {
    doc: 'DialNexa API base URL, without /v1 (https; plain http only for a loopback simulator, never from the stack)',
    context: 'baseUrl',
    env: 'DIALNEXA_BASE_URL',
    flag: '--base-url',
    default: 'https://api.dialnexa.com',
    // The simulator used by local runs and tests speaks plain HTTP on loopback; nothing else may.
    schema: text((setting, v) => withoutApiVersion(setting, parseHttpsUrl(setting, v, { allowLoopbackHttp: true }))),
    // A deployed function cannot reach a loopback simulator.
    contextSchema: text((setting, v) => withoutApiVersion(setting, parseHttpsUrl(setting, v))),
  },
  bundleAwsSdk: {
    doc: "Bundle the AWS SDK into the function (false: use the runtime's copy)",
    context: 'bundleAwsSdk',
    default: true,
    schema: flag,
  },
  workspaces: {
    doc: `Several workspaces instead of secret + workspaceName: a JSON list of 1-${MAX_WORKSPACES} {name, secretId, secretField?, secretKmsKeyArn?} (up to ${MAX_CONTEXT_WORKSPACES} with fanOut)`,
    context: 'workspaces',
    env: 'WORKSPACES',
    schema: text(parseWorkspaceVariable),
    contextSchema: validated((value, setting) => parseWorkspaceList(setting, value)),
  },
  rateCard: {
    doc: 'Monthly USD price by country and type for numbers the API gives no cost for (JSON)',
    context: 'rateCard',
    env: 'RATE_CARD',
    schema: validated((value, setting) => parseRateCardValue(setting, value)),
    toEnv: (card: RateCard) => JSON.stringify(card),
  },
  actionTriggers: {
    doc: 'Findings that put [Action needed] in the subject, comma-separated, or none',
    context: 'actionTriggers',
    env: 'ACTION_TRIGGERS',
    // Every trigger but unreconciled (off until an inventory is kept up to date).
    default: triggersText(DEFAULT_ACTION_TRIGGERS),
    schema: validated((value, setting) => parseTriggers(setting, value)),
    envSchema: text(parseTriggerNames),
    toEnv: (triggers: ActionTriggers) => triggersText(triggers),
  },
  checkAgents: {
    doc: "Read the workspace's agents to name them and flag numbers routed to a missing agent",
    context: 'checkAgents',
    env: 'CHECK_AGENTS',
    default: true,
    schema: flag,
  },
  checkUsage: {
    doc: 'Find numbers nobody called in usageWindowDays (GET /v1/calls); the CLI switches it off with --no-usage',
    context: 'checkUsage',
    env: 'CHECK_USAGE',
    flag: '--no-usage',
    default: true,
    schema: flag,
  },
  usageWindowDays: {
    doc: 'Days back a call counts as use: a number with no call in them is idle, 1-365',
    context: 'usageWindowDays',
    env: 'USAGE_WINDOW_DAYS',
    flag: '--usage-window',
    default: DEFAULT_USAGE_WINDOW_DAYS,
    schema: wholeNumber(1, 365),
  },
  usageRequestBudget: {
    doc: 'Most GET /v1/calls requests per workspace; the default fits a 10k-number workspace in 900 s at 150 requests / 60 s (docs/design.md)',
    context: 'usageRequestBudget',
    env: 'USAGE_REQUEST_BUDGET',
    flag: '--usage-budget',
    default: DEFAULT_USAGE_REQUEST_BUDGET,
    schema: wholeNumber(0, 100_000),
  },
  historyRetentionDays: {
    doc: `Days run folders (reports/) are kept in the history bucket, ${MIN_HISTORY_DAYS}-3653`,
    context: 'historyRetentionDays',
    default: 400,
    schema: wholeNumber(MIN_HISTORY_DAYS, 3653),
  },
  archiveBucket: {
    doc: 'S3 bucket for run history and one-email-per-schedule claims (the stack creates it; none: neither)',
    env: 'ARCHIVE_BUCKET',
    schema: text(parseBucketName),
  },
  secretMaxAgeSeconds: {
    doc: 'How long a warm function reuses the key before reading the secret again, 0-3600',
    env: 'SECRET_MAX_AGE_SECONDS',
    default: 300,
    schema: wholeNumber(0, 3600),
  },
  idempotencyLeaseSeconds: {
    doc: `How long a claim on a scheduled run stays its invocation's (the stack: margin + ${LEASE_BEYOND_MARGIN_SECONDS} s)`,
    env: 'IDEMPOTENCY_LEASE_SECONDS',
    default: DEADLINE_MARGIN_SECONDS + LEASE_BEYOND_MARGIN_SECONDS,
    schema: wholeNumber(60, 7200),
  },
  serviceName: {
    doc: 'Powertools service: the service dimension of the EMF metrics and the logs',
    env: 'POWERTOOLS_SERVICE_NAME',
    default: 'number-audit',
    schema: text(),
  },
  metricsNamespace: {
    doc: 'Powertools metrics namespace of the EMF metrics the alarms watch',
    env: 'POWERTOOLS_METRICS_NAMESPACE',
    default: 'NumberAudit',
    schema: text(),
  },
  logLevel: {
    doc: 'Powertools log level',
    env: 'POWERTOOLS_LOG_LEVEL',
    default: 'INFO',
    schema: text(),
  },
  timeoutSeconds: {
    doc: 'The CLI gives up after this many seconds',
    flag: '--timeout',
    default: 600,
    schema: wholeNumber(1, 86_400),
  },
  allowedRecipientDomains: {
    doc: "The only domains the report may be sent to (SES policy, console event recipients); none: the recipients' domains",
    context: 'allowedRecipientDomains',
    env: 'ALLOWED_RECIPIENT_DOMAINS',
    // No default of its own: it is derived from recipients (recipient-domains.ts), on both sides.
    schema: validated((value, setting) => parseDomainList(setting, asList(setting, value))),
    toEnv: list,
  },
  baselineGuardPercent: {
    doc: 'A listing that loses more than this % of the baseline (or drops to zero) is flagged and does not become the baseline unless confirmed, 0-100',
    context: 'baselineGuardPercent',
    env: 'BASELINE_GUARD_PERCENT',
    flag: '--baseline-guard-percent',
    default: 50,
    schema: wholeNumber(0, 100),
  },
  publishEvents: {
    doc: 'Put one event per run on the default EventBridge bus (source number-audit) for rules to route to chat, tickets or on-call',
    context: 'publishEvents',
    env: 'PUBLISH_EVENTS',
    default: true,
    // The stack always writes the variable; a function or test started without it publishes nothing.
    defaultOn: ['context'],
    schema: flag,
  },
  fanOut: {
    doc: `Run each workspace as its own Step Functions task with a roll-up email (docs/agencies.md); on by itself above ${MAX_WORKSPACES} workspaces`,
    context: 'fanOut',
    schema: flag,
  },
  fanOutConcurrency: {
    doc: 'Fan-out: workspaces audited at once (the Distributed Map), 1-1000',
    context: 'fanOutConcurrency',
    default: 10,
    schema: wholeNumber(1, 1000),
  },
  workspaceSecretPrefix: {
    doc: 'Fan-out: every workspace secret is a name starting with this; the task may read exactly these secrets',
    context: 'workspaceSecretPrefix',
    env: 'WORKSPACE_SECRET_PREFIX',
    default: 'number-audit/',
    // The stack always writes it for the workspace task; the single function never reads it.
    defaultOn: ['context'],
    schema: text((setting, v) => {
      if (!/^[A-Za-z0-9/_+=.@-]{1,256}$/.test(v)) {
        throw new ConfigError(setting, `"${v}" is not a secret name prefix (letters, digits and /_+=.@-)`);
      }
      // The grant is secret:<prefix>*: without the slash, "acme" would also admit "acme-prod-db".
      if (!v.endsWith('/'))
        throw new ConfigError(setting, `"${v}" must end with "/" (a folder of secrets), e.g. "${v}/"`);
      return v;
    }),
  },
} as const satisfies Record<string, SettingSpec>;

export type Settings = typeof SETTINGS;
export type SettingName = keyof Settings;

/** The handler's custom EMF metrics (Powertools: this namespace, dimension service=<service>). */
export const AUDIT_METRICS = {
  namespace: SETTINGS.metricsNamespace.default,
  service: SETTINGS.serviceName.default,
  /** With several workspaces, each also gets its own series under this dimension (and service). */
  workspaceDimension: 'workspace',
} as const;

export type { SecretRef };
