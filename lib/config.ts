// The stack's one typed configuration. Values come from CDK context (cdk.json defaults, `-c key=value`
// overrides); each is validated here once, so a bad value fails synth with the key's name and what
// is expected, instead of failing a deploy or the first Monday run.
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { workspaceSlug } from '../lambda/adapters/archive/layout';
import { ConfigError } from '../lambda/core/errors';
import { parseRateCard, parseRateCardText, type RateCard } from '../lambda/core/rate-card';
import { DEFAULT_ACTION_TRIGGERS, type ActionTriggers } from '../lambda/core/types';
import {
  parseEmail,
  parseEmailList,
  parseHttpsUrl,
  parseIntInRange,
  parseTimeZone,
  parseBoolean,
} from '../lambda/core/validation';

/** Every context key the stack reads. */
export const CONTEXT_KEYS = [
  'stackName',
  'recipients',
  'sender',
  'replyTo',
  'secret',
  'secretField',
  'secretKmsKeyArn',
  'schedule',
  'timeZone',
  'alarmEmail',
  'sesConfigurationSet',
  'logRetentionDays',
  'functionTimeoutSeconds',
  'runDeadlineMarginSeconds',
  'memorySize',
  'workspaceName',
  'baseUrl',
  'bundleAwsSdk',
  'workspaces',
  'rateCard',
  'actionTriggers',
  'checkAgents',
  'historyRetentionDays',
] as const;
export type ContextKey = (typeof CONTEXT_KEYS)[number];

/** Defaults for the optional keys; cdk.json repeats them so operators see every knob in one file. */
export const DEFAULTS = {
  stackName: 'NumberAudit',
  secret: 'number-audit/dialnexa',
  secretField: 'apiKey',
  schedule: 'cron(0 9 ? * MON *)',
  timeZone: 'UTC',
  logRetentionDays: 90,
  // Measured (README Performance): at the observed 150 requests/60 s, 900 s lists ~195k numbers
  // (300 s only ~69k); Lambda bills the time used, not the timeout.
  functionTimeoutSeconds: 900,
  // Kept back from the listing for rendering, the claim, the SES send (30 s timeout) and the archive.
  runDeadlineMarginSeconds: 60,
  // Measured: 100k numbers peak at ~373 MB RSS with history on; 768 MB leaves headroom.
  memorySize: 768,
  workspaceName: 'DialNexa workspace',
  baseUrl: 'https://api.dialnexa.com',
  bundleAwsSdk: true,
  actionTriggers: 'unrouted,missingAgents,removedNumbers,failedWorkspaces',
  checkAgents: true,
  historyRetentionDays: 400,
} as const satisfies Partial<Record<ContextKey, unknown>>;

/** The function needs this much time to list, render and send after the deadline margin. */
export const MIN_WORK_SECONDS = 30;

export type SecretRef =
  | { kind: 'name'; name: string }
  /** `complete`: the ARN ends in the 6-character suffix Secrets Manager adds to every secret. */
  | { kind: 'arn'; arn: string; complete: boolean };

/** At most this many workspaces in one stack (the function's WORKSPACES limit). */
export const MAX_WORKSPACES = 20;

/** One workspace of a multi-workspace stack and the secret holding its key. */
export interface WorkspaceRef {
  name: string;
  secret: SecretRef;
  /** The entry's own field, or the stack's `secretField`. */
  secretField: string;
  /** The entry's own key, or the stack's `secretKmsKeyArn`. */
  secretKmsKeyArn?: string;
}

export type ActionTrigger = keyof ActionTriggers;
export const ACTION_TRIGGERS = Object.keys(DEFAULT_ACTION_TRIGGERS) as ActionTrigger[];

/** AWS cron fields, as EventBridge Scheduler reads them (day or weekDay is `?`, never both set). */
export interface CronFields {
  minute: string;
  hour: string;
  day: string;
  month: string;
  weekDay: string;
  year: string;
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
  /** Days a run folder (`reports/`) is kept in the history bucket. */
  historyRetentionDays: number;
}

/** Reads every known key from the construct tree's context (cdk.json + `-c`) and parses it. */
export function readConfig(scope: Construct): StackConfig {
  const raw: Record<string, unknown> = {};
  for (const key of CONTEXT_KEYS) {
    const value = scope.node.tryGetContext(key);
    if (value !== undefined) raw[key] = value;
  }
  return parseConfig(raw);
}

export function parseConfig(raw: Record<string, unknown>): StackConfig {
  const get = (key: ContextKey): unknown => {
    const v = raw[key];
    // `-c key=` and JSON null both mean "not given".
    return v === null || (typeof v === 'string' && v.trim() === '') ? undefined : v;
  };
  const withDefault = (key: keyof typeof DEFAULTS): unknown => get(key) ?? DEFAULTS[key];

  const config: StackConfig = {
    stackName: parseStackName(text('stackName', withDefault('stackName'))),
    recipients: parseEmailList(
      'recipients',
      list('recipients', required('recipients', get('recipients'), 'one or more email addresses, comma-separated')),
    ),
    sender: parseEmail(
      'sender',
      text('sender', required('sender', get('sender'), 'the verified SES address reports come from')),
    ),
    replyTo: optional(get('replyTo'), (v) => parseEmailList('replyTo', list('replyTo', v))),
    secret: parseSecret('secret', text('secret', withDefault('secret'))),
    secretField: parseSecretField('secretField', text('secretField', withDefault('secretField'))),
    secretKmsKeyArn: optional(get('secretKmsKeyArn'), (v) =>
      parseKmsKeyArn('secretKmsKeyArn', text('secretKmsKeyArn', v)),
    ),
    schedule: parseCron('schedule', text('schedule', withDefault('schedule'))),
    timeZone: parseTimeZone('timeZone', text('timeZone', withDefault('timeZone'))),
    alarmEmail: optional(get('alarmEmail'), (v) => parseEmail('alarmEmail', text('alarmEmail', v))),
    sesConfigurationSet: optional(get('sesConfigurationSet'), (v) =>
      parseConfigurationSet(text('sesConfigurationSet', v)),
    ),
    logRetentionDays: parseRetention(integer('logRetentionDays', withDefault('logRetentionDays'))),
    functionTimeoutSeconds: parseIntInRange(
      'functionTimeoutSeconds',
      integer('functionTimeoutSeconds', withDefault('functionTimeoutSeconds')),
      60,
      900,
    ),
    runDeadlineMarginSeconds: parseIntInRange(
      'runDeadlineMarginSeconds',
      integer('runDeadlineMarginSeconds', withDefault('runDeadlineMarginSeconds')),
      5,
      300,
    ),
    memorySize: parseIntInRange('memorySize', integer('memorySize', withDefault('memorySize')), 128, 10240),
    workspaceName: parseWorkspaceName('workspaceName', text('workspaceName', withDefault('workspaceName'))),
    baseUrl: parseHttpsUrl('baseUrl', text('baseUrl', withDefault('baseUrl'))),
    bundleAwsSdk: parseBoolean('bundleAwsSdk', String(withDefault('bundleAwsSdk'))),
    rateCard: optional(get('rateCard'), parseRateCardValue),
    actionTriggers: parseTriggers(withDefault('actionTriggers')),
    checkAgents: parseBoolean('checkAgents', String(withDefault('checkAgents'))),
    historyRetentionDays: parseIntInRange(
      'historyRetentionDays',
      integer('historyRetentionDays', withDefault('historyRetentionDays')),
      MIN_HISTORY_DAYS,
      3653,
    ),
  };
  const workspaces = get('workspaces');
  if (workspaces !== undefined) {
    // Either one secret named by secret + workspaceName, or the list: never a silent mix of both.
    for (const key of ['secret', 'workspaceName'] as const) {
      if (get(key) !== undefined && get(key) !== DEFAULTS[key]) {
        throw new ConfigError(
          'workspaces',
          `replaces ${key}; remove ${key} (it is "${String(get(key))}") or make it an entry of workspaces`,
        );
      }
    }
    config.workspaces = parseWorkspaces(workspaces, config.secretField, config.secretKmsKeyArn);
  }
  if (config.functionTimeoutSeconds < config.runDeadlineMarginSeconds + MIN_WORK_SECONDS) {
    throw new ConfigError(
      'functionTimeoutSeconds',
      `must be at least runDeadlineMarginSeconds (${config.runDeadlineMarginSeconds}) + ${MIN_WORK_SECONDS} s of work = ` +
        `${config.runDeadlineMarginSeconds + MIN_WORK_SECONDS} (got ${config.functionTimeoutSeconds})`,
    );
  }
  return config;
}

/** `cron(m h dom mon dow year)` as written in cdk.json, for docs and logs. */
export function cronExpression(fields: CronFields): string {
  return `cron(${fields.minute} ${fields.hour} ${fields.day} ${fields.month} ${fields.weekDay} ${fields.year})`;
}

// ---- value shapes -------------------------------------------------------------------------------

function required(key: ContextKey, value: unknown, what: string): unknown {
  if (value === undefined)
    throw new ConfigError(key, `is required: ${what} (set it in cdk.json or pass -c ${key}=...)`);
  return value;
}

function optional<T>(value: unknown, parse: (v: unknown) => T): T | undefined {
  return value === undefined ? undefined : parse(value);
}

function text(key: ContextKey, value: unknown): string {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new ConfigError(key, `must be a string (got ${describe(value)})`);
}

function list(key: ContextKey, value: unknown): string | string[] {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  throw new ConfigError(key, `must be a comma-separated string or an array of strings (got ${describe(value)})`);
}

function integer(key: ContextKey, value: unknown): string | number {
  if (typeof value === 'number' || typeof value === 'string') return value;
  throw new ConfigError(key, `must be a whole number (got ${describe(value)})`);
}

function describe(value: unknown): string {
  return Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
}

// ---- individual keys ----------------------------------------------------------------------------

function parseStackName(v: string): string {
  // CloudFormation: letters, digits and hyphens, starting with a letter, at most 128 characters.
  if (!/^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(v)) {
    throw new ConfigError(
      'stackName',
      `"${v}" is not a CloudFormation stack name (a letter, then letters, digits or hyphens)`,
    );
  }
  return v;
}

const SECRET_NAME_RE = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
const SECRET_ARN_RE = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:([A-Za-z0-9/_+=.@-]+)$/;

function parseSecret(key: string, v: string): SecretRef {
  if (v.startsWith('arn:')) {
    const m = SECRET_ARN_RE.exec(v);
    if (!m) {
      throw new ConfigError(
        key,
        `"${v}" is not a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>-<suffix>)`,
      );
    }
    // A complete ARN ends in '-' and the 6 random characters Secrets Manager appends; without them
    // the ARN is partial and IAM needs the `-??????` pattern to match the real secret.
    return { kind: 'arn', arn: v, complete: /-[A-Za-z0-9]{6}$/.test(m[1]) };
  }
  if (!SECRET_NAME_RE.test(v)) {
    throw new ConfigError(key, `"${v}" is not a secret name (letters, digits and /_+=.@-) or a Secrets Manager ARN`);
  }
  return { kind: 'name', name: v };
}

function parseSecretField(key: string, v: string): string {
  if (!/^[A-Za-z0-9_.-]{1,128}$/.test(v)) {
    throw new ConfigError(key, `"${v}" is not a JSON field name (letters, digits, _ . -), e.g. apiKey`);
  }
  return v;
}

function parseKmsKeyArn(key: string, v: string): string {
  if (!/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/.test(v)) {
    throw new ConfigError(key, `"${v}" is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key-id>)`);
  }
  return v;
}

function parseConfigurationSet(v: string): string {
  // SES: letters, digits, underscores and dashes, at most 64 characters.
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(v)) {
    throw new ConfigError(
      'sesConfigurationSet',
      `"${v}" is not an SES configuration set name (letters, digits, _ and -, at most 64)`,
    );
  }
  return v;
}

function parseWorkspaceName(key: string, v: string): string {
  if (v.length < 1 || v.length > 100 || /[\x00-\x1f\x7f]/.test(v)) {
    throw new ConfigError(key, 'must be 1-100 printable characters (it appears in the email subject)');
  }
  return v;
}

/** The previous run is the baseline of the "changes" section: keep it at least a monthly schedule's interval. */
export const MIN_HISTORY_DAYS = 35;

/** An object in cdk.json, or the JSON text `-c rateCard='{...}'` passes. */
function parseRateCardValue(value: unknown): RateCard {
  return typeof value === 'string' ? parseRateCardText(value, 'rateCard') : parseRateCard(value, 'rateCard');
}

/** `unrouted,failedWorkspaces` keeps only those; `none` switches every trigger off. */
function parseTriggers(value: unknown): ActionTriggers {
  const expected = `use some of ${ACTION_TRIGGERS.join(', ')} (comma-separated), or none`;
  const items = (typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : undefined)
    ?.map((v) => (typeof v === 'string' ? v.trim() : v))
    .filter((v) => v !== '');
  if (!items || items.some((v) => typeof v !== 'string'))
    throw new ConfigError('actionTriggers', `must be a string or an array of strings; ${expected}`);
  const names = items as string[];
  if (names.some((n) => n.toLowerCase() === 'none')) {
    if (names.length > 1)
      throw new ConfigError('actionTriggers', `"none" cannot be combined with other triggers; ${expected}`);
    return Object.fromEntries(ACTION_TRIGGERS.map((t) => [t, false])) as unknown as ActionTriggers;
  }
  const enabled = names.map((n) => {
    const trigger = ACTION_TRIGGERS.find((t) => t.toLowerCase() === n.toLowerCase());
    if (!trigger) throw new ConfigError('actionTriggers', `"${n}" is not a trigger; ${expected}`);
    return trigger;
  });
  return Object.fromEntries(ACTION_TRIGGERS.map((t) => [t, enabled.includes(t)])) as unknown as ActionTriggers;
}

const WORKSPACE_FIELDS = ['name', 'secretId', 'secretField', 'secretKmsKeyArn'];

/** `[{"name": "Acme prod", "secretId": "acme/dialnexa"}, ...]`, as JSON text or a cdk.json array. */
function parseWorkspaces(value: unknown, defaultField: string, defaultKmsKeyArn: string | undefined): WorkspaceRef[] {
  const shape =
    '[{"name": "Acme prod", "secretId": "acme/dialnexa"}, ...] (optional per entry: secretField, secretKmsKeyArn)';
  let list = value;
  if (typeof value === 'string') {
    try {
      list = JSON.parse(value);
    } catch {
      throw new ConfigError('workspaces', `is not valid JSON; expected ${shape}`);
    }
  }
  if (!Array.isArray(list) || list.length < 1 || list.length > MAX_WORKSPACES) {
    throw new ConfigError('workspaces', `must be a list of 1-${MAX_WORKSPACES} workspaces: ${shape}`);
  }
  const seenNames = new Map<string, string>();
  const seenSlugs = new Map<string, string>();
  return list.map((entry: unknown, i) => {
    let where = `entry ${i + 1}`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
      throw new ConfigError('workspaces', `${where} must be an object: ${shape}`);
    const e = entry as Record<string, unknown>;
    const unknown = Object.keys(e).find((k) => !WORKSPACE_FIELDS.includes(k));
    if (unknown !== undefined)
      throw new ConfigError(
        'workspaces',
        `${where}: unknown field "${unknown}"; the fields are ${WORKSPACE_FIELDS.join(', ')}`,
      );
    const field = <T>(key: string, parse: (v: string) => T): T => {
      const v = e[key];
      if (v === undefined) throw new ConfigError('workspaces', `${where}: ${key} is required: ${shape}`);
      if (typeof v !== 'string')
        throw new ConfigError('workspaces', `${where}: ${key} must be a string (got ${describe(v)})`);
      try {
        return parse(v.trim());
      } catch (err) {
        // The parsers name the field; say which entry too.
        throw err instanceof ConfigError ? new ConfigError('workspaces', `${where}: ${err.message}`) : err;
      }
    };
    const name = field('name', (v) => parseWorkspaceName('name', v));
    where = `${where} ("${name}")`;
    const ref: WorkspaceRef = {
      name,
      secret: field('secretId', (v) => parseSecret('secretId', v)),
      secretField:
        e.secretField === undefined ? defaultField : field('secretField', (v) => parseSecretField('secretField', v)),
      secretKmsKeyArn:
        e.secretKmsKeyArn === undefined
          ? defaultKmsKeyArn
          : field('secretKmsKeyArn', (v) => parseKmsKeyArn('secretKmsKeyArn', v)),
    };
    const other = seenNames.get(name.toLowerCase());
    if (other !== undefined)
      throw new ConfigError(
        'workspaces',
        `${where}: the name is already used by "${other}"; names must differ (ignoring case)`,
      );
    seenNames.set(name.toLowerCase(), name);
    // History lives under reports/<slug>/: two workspaces sharing a slug would share one history.
    const slug = workspaceSlug(name);
    const sameFolder = seenSlugs.get(slug);
    if (sameFolder !== undefined) {
      throw new ConfigError(
        'workspaces',
        `${where}: "${name}" and "${sameFolder}" would share the history folder reports/${slug}/; rename one`,
      );
    }
    seenSlugs.set(slug, name);
    return ref;
  });
}

/** The retention periods CloudWatch Logs accepts (CDK's 9999 "infinite" sentinel is not one). */
export const RETENTION_DAYS: readonly number[] = Object.values(RetentionDays)
  .filter((v): v is number => typeof v === 'number' && v !== RetentionDays.INFINITE)
  .sort((a, b) => a - b);

function parseRetention(value: string | number): RetentionDays {
  const n = parseIntInRange('logRetentionDays', value, 1, 3653);
  if (!RETENTION_DAYS.includes(n)) {
    throw new ConfigError(
      'logRetentionDays',
      `${n} is not a CloudWatch Logs retention period; use one of ${RETENTION_DAYS.join(', ')}`,
    );
  }
  return n as RetentionDays;
}

// ---- cron ---------------------------------------------------------------------------------------

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEK_DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: string[];
  /** Extra single-item forms the field accepts (L, W, #). */
  special?: RegExp;
}

const FIELDS: FieldSpec[] = [
  { name: 'minutes', min: 0, max: 59 },
  { name: 'hours', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31, special: /^(L|LW|([1-9]|[12]\d|3[01])W)$/ },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  {
    name: 'day-of-week',
    min: 1,
    max: 7,
    names: WEEK_DAYS,
    special: /^(L|[1-7]L|[1-7]#[1-5]|(SUN|MON|TUE|WED|THU|FRI|SAT)(L|#[1-5]))$/,
  },
  { name: 'year', min: 1970, max: 2199 },
];

/**
 * Parses an AWS cron expression, `cron(minutes hours day-of-month month day-of-week year)`, with or
 * without the `cron(...)` wrapper. Times are read in the schedule's `timeZone`.
 */
export function parseCron(key: string, input: string): CronFields {
  const expected = 'an AWS cron expression with 6 fields, e.g. cron(0 9 ? * MON *) for Mondays 09:00';
  const body = /^cron\((.*)\)$/.exec(input.trim())?.[1] ?? input.trim();
  const parts = body.trim().split(/\s+/);
  if (parts.length !== 6 || parts[0] === '') throw new ConfigError(key, `"${input}" is not ${expected}`);
  const upper = parts.map((p) => p.toUpperCase());
  upper.forEach((part, i) => {
    const problem = fieldProblem(FIELDS[i], part);
    if (problem) throw new ConfigError(key, `${FIELDS[i].name} field "${parts[i]}": ${problem} (expected ${expected})`);
  });
  const [minute, hour, day, month, weekDay, year] = upper;
  if ((day === '?') === (weekDay === '?')) {
    throw new ConfigError(
      key,
      `exactly one of day-of-month ("${day}") and day-of-week ("${weekDay}") must be "?" (expected ${expected})`,
    );
  }
  return { minute, hour, day, month, weekDay, year };
}

function fieldProblem(spec: FieldSpec, part: string): string | undefined {
  const isDayField = spec.name === 'day-of-month' || spec.name === 'day-of-week';
  if (part === '?') return isDayField ? undefined : '"?" is only allowed in day-of-month or day-of-week';
  const items = part.split(',');
  for (const item of items) {
    if (spec.special?.test(item)) {
      if (items.length > 1) return `"${item}" cannot be combined with other values`;
      continue;
    }
    const m = /^(\*|[A-Z0-9]+(?:-[A-Z0-9]+)?)(?:\/(\d+))?$/.exec(item);
    if (!m) return `"${item}" is not a value, range, list or step`;
    if (m[2] !== undefined && (Number(m[2]) < 1 || Number(m[2]) > spec.max)) return `step "${m[2]}" is out of range`;
    if (m[1] === '*') continue;
    for (const bound of m[1].split('-')) {
      const n = valueOf(spec, bound);
      if (n === undefined)
        return `"${bound}" is not a valid ${spec.name} (${spec.min}-${spec.max}${spec.names ? ` or ${spec.names[0]}-${spec.names[spec.names.length - 1]}` : ''})`;
    }
  }
  return undefined;
}

function valueOf(spec: FieldSpec, token: string): number | undefined {
  if (spec.names) {
    const i = spec.names.indexOf(token);
    if (i >= 0) return i + spec.min;
  }
  if (!/^\d+$/.test(token)) return undefined;
  const n = Number(token);
  return n >= spec.min && n <= spec.max ? n : undefined;
}
