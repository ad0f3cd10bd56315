// The stack's one typed configuration, read from CDK context (cdk.json defaults, `-c key=value`
// overrides) with the settings module, so a bad value fails synth with the key's name and what is
// expected instead of failing a deploy or the first Monday run.
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { ContextProvider } from 'aws-cdk-lib/cloud-assembly-schema';
import type { Construct } from 'constructs';
import { ConfigError } from '../lambda/core/errors';
import type { RateCard } from '../lambda/core/rate-card';
import type { ActionTriggers } from '../lambda/core/types';
import {
  checkConfiguredRecipients,
  closestName,
  contextReader,
  type CronFields,
  defaultOn,
  MAX_WORKSPACES,
  parsePrefixedSecret,
  secretIdOf,
  type SecretRef,
  recipientDomains,
  SETTINGS,
  type SettingSpec,
} from '../lambda/settings';

export {
  ACTION_TRIGGERS,
  type ActionTrigger,
  type CronFields,
  cronExpression,
  MAX_WORKSPACES,
  MIN_HISTORY_DAYS,
  parseCron,
  RETENTION_DAYS,
  type SecretRef,
} from '../lambda/settings';

type ContextSetting = SettingSpec & { readonly context: string };
type ContextSettings = {
  [K in keyof typeof SETTINGS as (typeof SETTINGS)[K] extends ContextSetting ? K : never]: (typeof SETTINGS)[K];
};
type DefaultedContextKey = {
  [K in keyof ContextSettings]: ContextSettings[K] extends { readonly default: unknown } ? K : never;
}[keyof ContextSettings];

const CONTEXT_SETTINGS = (Object.values(SETTINGS) as readonly SettingSpec[]).filter(
  (s): s is ContextSetting => s.context !== undefined,
);

/** Every context key the stack reads. */
export const CONTEXT_KEYS: readonly string[] = CONTEXT_SETTINGS.map((s) => s.context);
export type ContextKey = keyof ContextSettings;

/** Defaults for the optional keys; cdk.json repeats them so operators see every knob in one file. */
export const DEFAULTS = Object.fromEntries(
  CONTEXT_SETTINGS.flatMap((s) => {
    const value = defaultOn(s, 'context');
    return value === undefined ? [] : [[s.context, value]];
  }),
) as { readonly [K in DefaultedContextKey]: ContextSettings[K]['default'] };

/** The function needs this much time to list, render and send after the deadline margin. */
export const MIN_WORK_SECONDS = 30;

/** One workspace of a multi-workspace stack and the secret holding its key. */
export interface WorkspaceRef {
  name: string;
  secret: SecretRef;
  /** The entry's own field, or the stack's `secretField`. */
  secretField: string;
  /** The entry's own key, or the stack's `secretKmsKeyArn`. */
  secretKmsKeyArn?: string;
}

export interface StackConfig {
  stackName: string;
  recipients: string[];
  sender: string;
  replyTo?: string[];
  secret: SecretRef;
  secretField: string;
  /** The customer managed key that encrypts the secret, when it is not `aws/secretsmanager`. */
  secretKmsKeyArn?: string;
  schedule: CronFields;
  timeZone: string;
  alarmEmail?: string;
  sesConfigurationSet?: string;
  logRetentionDays: RetentionDays;
  functionTimeoutSeconds: number;
  runDeadlineMarginSeconds: number;
  memorySize: number;
  workspaceName: string;
  baseUrl: string;
  /** Bundle the AWS SDK v3 into the asset instead of using the runtime's copy. */
  bundleAwsSdk: boolean;
  /** Several workspaces, each with its own secret; undefined: the one `secret` named `workspaceName`. */
  workspaces?: WorkspaceRef[];
  /** Prices for numbers the API gives no monthly cost for. */
  rateCard?: RateCard;
  /** The findings that put `[Action needed]` in the subject. */
  actionTriggers: ActionTriggers;
  /** Read the workspace's agents to flag numbers routed to an agent that no longer exists. */
  checkAgents: boolean;
  /** Look for numbers nobody calls (GET /v1/calls), within a window and a request budget. */
  checkUsage: boolean;
  usageWindowDays: number;
  usageRequestBudget: number;
  /** Days a run folder (`reports/`) is kept in the history bucket. */
  historyRetentionDays: number;
  /** A listing losing more than this % of the baseline is held back from becoming it. */
  baselineGuardPercent: number;
  /** Each workspace its own Step Functions task and a roll-up email (the single function otherwise). */
  fanOut: boolean;
  /** Fan-out: workspaces audited at once. */
  fanOutConcurrency: number;
  /** Fan-out: the name prefix of every workspace secret; the task may read exactly those. */
  workspaceSecretPrefix: string;
  /** The only domains the report may go to (given, or the recipients'); the SES policy names them. */
  allowedRecipientDomains: string[];
  /** Put one event per run on the default EventBridge bus. */
  publishEvents: boolean;
}

/** Reads the construct tree's whole context (cdk.json + `-c`) and parses it. */
export function readConfig(scope: Construct): StackConfig {
  return parseConfig(scope.node.getAllContext() as Record<string, unknown>);
}

/** Several problems at once, so a first synth lists every one of them instead of one per try. */
export class ConfigProblems extends ConfigError {
  constructor(readonly problems: readonly ConfigError[]) {
    super(problems.map((p) => p.setting).join(', '), 'several problems');
    this.message = `${problems.length} problems:\n${problems.map((p) => `  ${p.message}`).join('\n')}`;
  }
}

/** Every key and value problem of `raw`, all reported together; then the checks across keys. */
export function parseConfig(raw: Record<string, unknown>): StackConfig {
  const problems: ConfigError[] = unknownKeys(raw);
  const reader = contextReader(raw);
  const collect =
    <A extends unknown[], R>(read: (...args: A) => R) =>
    (...args: A): R => {
      try {
        return read(...args);
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        problems.push(error);
        return undefined as R;
      }
    };
  const config = readSettings(collect(reader.need), collect(reader.maybe));
  if (problems.length === 1) throw problems[0];
  if (problems.length > 1) throw new ConfigProblems(problems);
  checkConfiguredRecipients(
    SETTINGS.allowedRecipientDomains.context,
    config.recipients,
    config.allowedRecipientDomains,
  );
  const workspaces = readWorkspaces(raw, config);
  if (workspaces) config.workspaces = workspaces;
  config.fanOut = readFanOut(raw, config);
  checkWorkTime(config);
  return config;
}

/** Given, or on by itself past the single function's MAX_WORKSPACES; fan-out secrets sit under the prefix. */
function readFanOut(raw: Record<string, unknown>, config: StackConfig): boolean {
  const given = contextReader(raw).maybe(SETTINGS.fanOut);
  const count = config.workspaces?.length ?? 1;
  const fanOut = given ?? count > MAX_WORKSPACES;
  if (!fanOut && count > MAX_WORKSPACES) {
    throw new ConfigError(
      SETTINGS.workspaces.context,
      `lists ${count} workspaces; one function audits at most ${MAX_WORKSPACES}: leave ${SETTINGS.fanOut.context} unset or true`,
    );
  }
  // The task's role reads secrets by name prefix: one pattern, whatever the number of clients.
  if (fanOut) {
    config.workspaces?.forEach((w, i) => {
      parsePrefixedSecret(
        `${SETTINGS.workspaces.context} entry ${i + 1} ("${w.name}") secretId`,
        secretIdOf(w.secret),
        config.workspaceSecretPrefix,
      );
    });
  }
  return fanOut;
}

type Reader = ReturnType<typeof contextReader>;

function readSettings(need: Reader['need'], maybe: Reader['maybe']): StackConfig {
  const S = SETTINGS;
  const recipients = need(S.recipients);
  return {
    stackName: need(S.stackName),
    recipients,
    sender: need(S.sender),
    replyTo: maybe(S.replyTo),
    secret: need(S.secret),
    secretField: need(S.secretField),
    secretKmsKeyArn: maybe(S.secretKmsKeyArn),
    schedule: need(S.schedule),
    timeZone: need(S.timeZone),
    alarmEmail: maybe(S.alarmEmail),
    sesConfigurationSet: maybe(S.sesConfigurationSet),
    logRetentionDays: need(S.logRetentionDays) as RetentionDays,
    functionTimeoutSeconds: need(S.functionTimeoutSeconds),
    runDeadlineMarginSeconds: need(S.runDeadlineMarginSeconds),
    memorySize: need(S.memorySize),
    workspaceName: need(S.workspaceName),
    baseUrl: need(S.baseUrl),
    bundleAwsSdk: need(S.bundleAwsSdk),
    rateCard: maybe(S.rateCard),
    actionTriggers: need(S.actionTriggers),
    checkAgents: need(S.checkAgents),
    checkUsage: need(S.checkUsage),
    usageWindowDays: need(S.usageWindowDays),
    usageRequestBudget: need(S.usageRequestBudget),
    historyRetentionDays: need(S.historyRetentionDays),
    baselineGuardPercent: need(S.baselineGuardPercent),
    fanOut: false,
    fanOutConcurrency: need(S.fanOutConcurrency),
    workspaceSecretPrefix: need(S.workspaceSecretPrefix),
    allowedRecipientDomains: maybe(S.allowedRecipientDomains) ?? recipientDomains(recipients ?? []),
    publishEvents: need(S.publishEvents),
  };
}

/** Keys the CDK itself and its CLI put in context: feature flags, its own switches, lookup results. */
const CDK_KEY_PREFIXES = [
  '@aws-cdk',
  'aws:cdk:',
  'aws-cdk:',
  'cli-',
  'acknowledged-issue-numbers',
  ...Object.values(ContextProvider).map((provider) => `${provider}:`),
];

/** A mistyped key (`timezone`) would otherwise leave its setting at the default without a word. */
function unknownKeys(raw: Record<string, unknown>): ConfigError[] {
  return Object.keys(raw)
    .filter((key) => !CONTEXT_KEYS.includes(key) && !CDK_KEY_PREFIXES.some((prefix) => key.startsWith(prefix)))
    .map((key) => {
      const meant = closestName(key, CONTEXT_KEYS);
      return new ConfigError(
        key,
        meant
          ? `unknown key; did you mean ${meant}?`
          : "unknown key; the keys are listed in docs/configuration.md (CDK's own start with @aws-cdk/, aws:cdk: or cli-)",
      );
    });
}

/** Either one secret named by secret + workspaceName, or the list: never a silent mix of both. */
function readWorkspaces(raw: Record<string, unknown>, config: StackConfig): WorkspaceRef[] | undefined {
  const { maybe, given } = contextReader(raw);
  const entries = maybe(SETTINGS.workspaces);
  if (entries === undefined) return undefined;
  for (const spec of [SETTINGS.secret, SETTINGS.workspaceName]) {
    const value = raw[spec.context];
    if (given(spec) && value !== defaultOn(spec, 'context')) {
      throw new ConfigError(
        SETTINGS.workspaces.context,
        `replaces ${spec.context}; remove ${spec.context} (it is "${String(value)}") or make it an entry of workspaces`,
      );
    }
  }
  return entries.map((e) => ({
    ...e,
    secretField: e.secretField ?? config.secretField,
    secretKmsKeyArn: e.secretKmsKeyArn ?? config.secretKmsKeyArn,
  }));
}

function checkWorkTime({ functionTimeoutSeconds: timeout, runDeadlineMarginSeconds: margin }: StackConfig): void {
  if (timeout < margin + MIN_WORK_SECONDS) {
    throw new ConfigError(
      SETTINGS.functionTimeoutSeconds.context,
      `must be at least runDeadlineMarginSeconds (${margin}) + ${MIN_WORK_SECONDS} s of work = ` +
        `${margin + MIN_WORK_SECONDS} (got ${timeout})`,
    );
  }
}
