// The Lambda's configuration: read from environment variables once, at cold start. Every error
// names the variable. Variables carry names and ARNs only, never the key itself.
import * as z from 'zod';
import { workspaceSlug } from '../adapters/archive/layout';
import { DEFAULT_BASE_URL } from '../core/defaults';
import { ConfigError } from '../core/errors';
import { parseRateCardText, type RateCard } from '../core/rate-card';
import { DEFAULT_ACTION_TRIGGERS, type ActionTriggers } from '../core/types';
import {
  parseBoolean,
  parseEmail,
  parseEmailList,
  parseHttpsUrl,
  parseIntInRange,
  parseTimeZone,
} from '../core/validation';

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
  recipients: string[];
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
  /** How long a claim on a scheduled run stays another invocation's (above the function timeout). */
  idempotencyLeaseMs: number;
}

const SECRET_ID_RE = /^[A-Za-z0-9/_+=.@:-]{1,2048}$/;
const SECRET_FIELD_RE = /^[A-Za-z0-9_.-]{1,128}$/;

const workspacesSchema = z
  .array(
    z.strictObject({
      name: z
        .string()
        .trim()
        .min(1)
        .max(100)
        .regex(/^[^\r\n]+$/, 'must be one line'),
      secretId: z.string().regex(SECRET_ID_RE, 'must be a Secrets Manager secret name or ARN'),
      secretField: z.string().regex(SECRET_FIELD_RE, 'must be a JSON field name').optional(),
    }),
  )
  .min(1)
  .max(20);

function parseWorkspaces(text: string, defaultField: string): WorkspaceConfig[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ConfigError('WORKSPACES', 'is not valid JSON; expected [{"name": "...", "secretId": "..."}]');
  }
  const parsed = workspacesSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(
      'WORKSPACES',
      `${issue.path.length ? `entry ${issue.path.join('.')}: ` : ''}${issue.message}`,
    );
  }
  const names = new Map<string, string>();
  return parsed.data.map((w) => {
    // Two names with one history folder would overwrite each other's baseline.
    const slug = workspaceSlug(w.name);
    const clash = names.get(slug);
    if (clash !== undefined) {
      throw new ConfigError(
        'WORKSPACES',
        clash.toLowerCase() === w.name.toLowerCase()
          ? `lists the workspace "${w.name}" twice`
          : `"${clash}" and "${w.name}" would share the history folder "${slug}"; rename one`,
      );
    }
    names.set(slug, w.name);
    return {
      name: w.name,
      secretId: w.secretId,
      secretField: w.secretField ?? defaultField,
      setting: `WORKSPACES (${w.name})`,
    };
  });
}

const TRIGGER_NAMES = Object.keys(DEFAULT_ACTION_TRIGGERS) as Array<keyof ActionTriggers>;

/** `ACTION_TRIGGERS=unrouted,failedWorkspaces` switches the others off; `none` switches all off. */
function parseTriggers(value: string | undefined): ActionTriggers {
  if (value === undefined) return { ...DEFAULT_ACTION_TRIGGERS };
  const wanted =
    value.trim() === 'none'
      ? []
      : value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
  for (const w of wanted) {
    if (!(TRIGGER_NAMES as string[]).includes(w)) {
      throw new ConfigError(
        'ACTION_TRIGGERS',
        `"${w}" is not a trigger; use some of ${TRIGGER_NAMES.join(', ')}, or none`,
      );
    }
  }
  return Object.fromEntries(TRIGGER_NAMES.map((t) => [t, wanted.includes(t)])) as unknown as ActionTriggers;
}

type Env = Record<string, string | undefined>;

export function readHandlerConfig(env: Env = process.env): HandlerConfig {
  const required = (name: string): string => {
    const v = env[name]?.trim();
    if (!v) throw new ConfigError(name, 'is required but not set');
    return v;
  };
  const optional = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };

  const secretField = optional('DIALNEXA_SECRET_FIELD') ?? 'apiKey';
  if (!SECRET_FIELD_RE.test(secretField)) {
    throw new ConfigError('DIALNEXA_SECRET_FIELD', 'must be a JSON field name (letters, digits, _ . -)');
  }
  const configurationSetName = optional('SES_CONFIGURATION_SET');
  if (configurationSetName !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(configurationSetName)) {
    throw new ConfigError(
      'SES_CONFIGURATION_SET',
      'must be an SES configuration set name (letters, digits, _ and -, at most 64)',
    );
  }
  const replyTo = optional('REPORT_REPLY_TO');
  const workspaceName = optional('WORKSPACE_NAME') ?? 'DialNexa workspace';
  if (/[\r\n]/.test(workspaceName) || workspaceName.length > 100) {
    throw new ConfigError('WORKSPACE_NAME', 'must be one line of at most 100 characters');
  }
  const workspacesJson = optional('WORKSPACES');
  let workspaces: WorkspaceConfig[];
  if (workspacesJson !== undefined) {
    workspaces = parseWorkspaces(workspacesJson, secretField);
  } else {
    const secretId = required('DIALNEXA_SECRET_ID');
    if (!SECRET_ID_RE.test(secretId))
      throw new ConfigError('DIALNEXA_SECRET_ID', 'must be a Secrets Manager secret name or ARN');
    workspaces = [{ name: workspaceName, secretId, secretField, setting: 'DIALNEXA_SECRET_ID' }];
  }
  const archiveBucket = optional('ARCHIVE_BUCKET');
  if (archiveBucket !== undefined && !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(archiveBucket)) {
    throw new ConfigError('ARCHIVE_BUCKET', 'must be an S3 bucket name');
  }
  const rateCardText = optional('RATE_CARD');

  return {
    workspaces,
    secretMaxAgeSeconds: parseIntInRange(
      'SECRET_MAX_AGE_SECONDS',
      optional('SECRET_MAX_AGE_SECONDS') ?? '300',
      0,
      3600,
    ),
    baseUrl: parseHttpsUrl('DIALNEXA_BASE_URL', optional('DIALNEXA_BASE_URL') ?? DEFAULT_BASE_URL, {
      // The simulator used by local tests speaks plain HTTP on loopback; nothing else may.
      allowLoopbackHttp: true,
    }),
    recipients: parseEmailList('REPORT_RECIPIENTS', required('REPORT_RECIPIENTS')),
    sender: parseEmail('REPORT_SENDER', required('REPORT_SENDER')),
    replyTo: replyTo === undefined ? undefined : parseEmailList('REPORT_REPLY_TO', replyTo),
    configurationSetName,
    timeZone: parseTimeZone('REPORT_TIME_ZONE', optional('REPORT_TIME_ZONE') ?? 'UTC'),
    deadlineMarginMs: parseIntInRange(
      'RUN_DEADLINE_MARGIN_MS',
      optional('RUN_DEADLINE_MARGIN_MS') ?? '20000',
      1000,
      300000,
    ),
    functionName: optional('AWS_LAMBDA_FUNCTION_NAME') ?? 'the number-audit function',
    archiveBucket,
    rateCard: rateCardText === undefined ? undefined : parseRateCardText(rateCardText, 'RATE_CARD'),
    triggers: parseTriggers(optional('ACTION_TRIGGERS')),
    checkAgents: parseBoolean('CHECK_AGENTS', optional('CHECK_AGENTS') ?? 'true'),
    idempotencyLeaseMs:
      parseIntInRange('IDEMPOTENCY_LEASE_SECONDS', optional('IDEMPOTENCY_LEASE_SECONDS') ?? '180', 60, 7200) * 1000,
  };
}
