// The Lambda's configuration: read from environment variables once, at cold start, with the settings
// module the stack wrote them with. Every error names the variable. Variables carry names and ARNs
// only, never the key itself.
import type { RateCard } from '../core/rate-card';
import type { ActionTriggers } from '../core/types';
import { checkConfiguredRecipients, envReader, recipientDomains, SETTINGS, withLowerCaseDomain } from '../settings';

/** One workspace and the secret holding its key. */
export interface WorkspaceConfig {
  name: string;
  secretId: string;
  secretField: string;
  /** The setting a problem with this secret is reported against. */
  setting: string;
}

export interface HandlerConfig {
  /** One entry unless WORKSPACES lists several. */
  workspaces: WorkspaceConfig[];
  secretMaxAgeSeconds: number;
  baseUrl: string;
  /** Domains in lower case, as the SES policy's ses:Recipients patterns are written. */
  recipients: string[];
  /** The only domains a console event's recipients may be at (the SES policy's own list). */
  allowedRecipientDomains: string[];
  sender: string;
  replyTo?: string[];
  configurationSetName?: string;
  timeZone: string;
  /** Time kept back from the Lambda's remaining time for rendering and sending. */
  deadlineMarginMs: number;
  /** Name of this function, for the "run on demand" hint in the footer. */
  functionName: string;
  /** S3 bucket for run history and one-email-per-schedule claims; none = no history, no dedupe. */
  archiveBucket?: string;
  rateCard?: RateCard;
  triggers: ActionTriggers;
  checkAgents: boolean;
  usage: { check: boolean; windowDays: number; budget: number };
  /** A listing losing more than this share (0-1) of the baseline does not become it unless confirmed. */
  maxBaselineLoss: number;
  /** How long a claim on a scheduled run stays another invocation's: the stack sets margin + 120 s. */
  idempotencyLeaseMs: number;
  /** Put the run's event on the default EventBridge bus; off unless the stack's variable says so. */
  publishEvents: boolean;
}

type Env = Record<string, string | undefined>;

/** `workspaces: false`: the fan-out tasks, which are handed their workspace in each event. */
export function readHandlerConfig(env: Env = process.env, options: { workspaces?: boolean } = {}): HandlerConfig {
  const { need, maybe } = envReader(env);
  const S = SETTINGS;
  return {
    workspaces: options.workspaces === false ? [] : readWorkspaces(env),
    secretMaxAgeSeconds: need(S.secretMaxAgeSeconds),
    baseUrl: need(S.baseUrl),
    recipients: need(S.recipients).map(withLowerCaseDomain),
    allowedRecipientDomains: readAllowedRecipientDomains(env),
    sender: need(S.sender),
    replyTo: maybe(S.replyTo),
    configurationSetName: maybe(S.sesConfigurationSet),
    timeZone: need(S.timeZone),
    deadlineMarginMs: need(S.runDeadlineMarginSeconds),
    // Set by the Lambda runtime, not by the stack.
    functionName: env.AWS_LAMBDA_FUNCTION_NAME?.trim() || 'the number-audit function',
    archiveBucket: maybe(S.archiveBucket),
    rateCard: maybe(S.rateCard),
    triggers: need(S.actionTriggers),
    checkAgents: need(S.checkAgents),
    usage: { check: need(S.checkUsage), windowDays: need(S.usageWindowDays), budget: need(S.usageRequestBudget) },
    maxBaselineLoss: need(S.baselineGuardPercent) / 100,
    idempotencyLeaseMs: need(S.idempotencyLeaseSeconds) * 1000,
    publishEvents: maybe(S.publishEvents) ?? false,
  };
}

/** ALLOWED_RECIPIENT_DOMAINS, or the domains of REPORT_RECIPIENTS; either way it holds every recipient. */
export function readAllowedRecipientDomains(env: Env = process.env): string[] {
  const { need, maybe } = envReader(env);
  const recipients = need(SETTINGS.recipients);
  const domains = maybe(SETTINGS.allowedRecipientDomains) ?? recipientDomains(recipients);
  checkConfiguredRecipients(SETTINGS.allowedRecipientDomains.env, recipients, domains);
  return domains;
}

/** WORKSPACES, or the one DIALNEXA_SECRET_ID named WORKSPACE_NAME. */
function readWorkspaces(env: Env): WorkspaceConfig[] {
  const { need, maybe } = envReader(env);
  const S = SETTINGS;
  const secretField = need(S.secretField);
  const workspaceName = need(S.workspaceName);
  const list = maybe(S.workspaces);
  if (list === undefined) {
    return [{ name: workspaceName, secretId: need(S.secret), secretField, setting: S.secret.env }];
  }
  return list.map((w) => ({
    name: w.name,
    secretId: w.secretId,
    secretField: w.secretField ?? secretField,
    setting: `${S.workspaces.env} (${w.name})`,
  }));
}
