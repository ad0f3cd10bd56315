// Validators for values only some surfaces take (names, ARNs, triggers). Each throws ConfigError
// naming the setting it is given; schema.ts turns them into the settings' schemas.
import { ConfigError } from '../core/errors';
import { parseRateCard, parseRateCardText, type RateCard } from '../core/rate-card';
import { DEFAULT_ACTION_TRIGGERS, type ActionTriggers } from '../core/types';
import { parseIntInRange } from '../core/validation';

export type SecretRef =
  | { kind: 'name'; name: string }
  /** `complete`: the ARN ends in the 6-character suffix Secrets Manager adds to every secret. */
  | { kind: 'arn'; arn: string; complete: boolean };

export function parseStackName(setting: string, v: string): string {
  // CloudFormation: letters, digits and hyphens, starting with a letter, at most 128 characters.
  if (!/^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(v)) {
    throw new ConfigError(
      setting,
      `"${v}" is not a CloudFormation stack name (a letter, then letters, digits or hyphens)`,
    );
  }
  return v;
}

const SECRET_NAME_RE = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
const SECRET_ARN_RE = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:([A-Za-z0-9/_+=.@-]+)$/;

/** The stack's reading: a name or an ARN, told apart because IAM grants them differently. */
export function parseSecret(setting: string, v: string): SecretRef {
  if (v.startsWith('arn:')) {
    const m = SECRET_ARN_RE.exec(v);
    if (!m) {
      throw new ConfigError(
        setting,
        `"${v}" is not a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>-<suffix>)`,
      );
    }
    // A complete ARN ends in '-' and the 6 random characters Secrets Manager appends; without them
    // the ARN is partial and IAM needs the `-??????` pattern to match the real secret.
    return { kind: 'arn', arn: v, complete: /-[A-Za-z0-9]{6}$/.test(m[1]) };
  }
  if (!SECRET_NAME_RE.test(v)) {
    throw new ConfigError(
      setting,
      `"${v}" is not a secret name (letters, digits and /_+=.@-) or a Secrets Manager ARN`,
    );
  }
  return { kind: 'name', name: v };
}

export function secretIdOf(secret: SecretRef): string {
  return secret.kind === 'name' ? secret.name : secret.arn;
}

/** The function's and the CLI's reading: Secrets Manager takes either form as the SecretId. */
export const SECRET_ID_RE = /^[A-Za-z0-9/_+=.@:-]{1,2048}$/;

export function parseSecretId(setting: string, v: string): string {
  if (!SECRET_ID_RE.test(v)) {
    throw new ConfigError(setting, 'must be a Secrets Manager secret name or ARN');
  }
  return v;
}

export const SECRET_FIELD_RE = /^[A-Za-z0-9_.-]{1,128}$/;

export function parseSecretField(setting: string, v: string): string {
  if (!SECRET_FIELD_RE.test(v)) {
    throw new ConfigError(setting, `"${v}" is not a JSON field name (letters, digits, _ . -), e.g. apiKey`);
  }
  return v;
}

export function parseKmsKeyArn(setting: string, v: string): string {
  if (!/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/.test(v)) {
    throw new ConfigError(setting, `"${v}" is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key-id>)`);
  }
  return v;
}

export function parseConfigurationSet(setting: string, v: string): string {
  // SES: letters, digits, underscores and dashes, at most 64 characters.
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(v)) {
    throw new ConfigError(
      setting,
      `"${v}" is not an SES configuration set name (letters, digits, _ and -, at most 64)`,
    );
  }
  return v;
}

/** It appears in the email subject and in terminal output: printable, one line, at most 100. */
export function parseWorkspaceName(setting: string, v: string): string {
  if (v.length < 1 || v.length > 100 || /[\x00-\x1f\x7f]/.test(v)) {
    throw new ConfigError(setting, 'must be 1-100 printable characters (it appears in the email subject)');
  }
  return v;
}

/** Every request path starts with /v1, so a base URL ending in it would call /v1/v1/... and get 404s. */
export function withoutApiVersion(setting: string, url: string): string {
  if (/\/v1$/i.test(url)) {
    throw new ConfigError(setting, `ends in /v1: drop /v1 (every request adds it), e.g. ${url.slice(0, -3)}`);
  }
  return url;
}

export function parseBucketName(setting: string, v: string): string {
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(v)) throw new ConfigError(setting, 'must be an S3 bucket name');
  return v;
}

/** An object in cdk.json, or the JSON text `-c rateCard='{...}'` and the environment pass. */
export function parseRateCardValue(setting: string, value: unknown): RateCard {
  return typeof value === 'string' ? parseRateCardText(value, setting) : parseRateCard(value, setting);
}

/** The retention periods CloudWatch Logs accepts (test/infra checks them against CDK's RetentionDays). */
export const RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

export function parseRetention(setting: string, value: string | number): number {
  const n = parseIntInRange(setting, value, 1, 3653);
  if (!RETENTION_DAYS.includes(n)) {
    throw new ConfigError(
      setting,
      `${n} is not a CloudWatch Logs retention period; use one of ${RETENTION_DAYS.join(', ')}`,
    );
  }
  return n;
}

export type ActionTrigger = keyof ActionTriggers;
export const ACTION_TRIGGERS = Object.keys(DEFAULT_ACTION_TRIGGERS) as ActionTrigger[];

function triggersOf(enabled: readonly string[]): ActionTriggers {
  return Object.fromEntries(ACTION_TRIGGERS.map((t) => [t, enabled.includes(t)])) as unknown as ActionTriggers;
}

/** The triggers switched on, as the stack writes them for the function; `none` when all are off. */
export function triggersText(triggers: ActionTriggers): string {
  const enabled = ACTION_TRIGGERS.filter((t) => triggers[t]);
  return enabled.length ? enabled.join(',') : 'none';
}

/** `unrouted,failedWorkspaces` keeps only those; `none` switches every trigger off. Any case, or a list. */
export function parseTriggers(setting: string, value: unknown): ActionTriggers {
  const expected = `use some of ${ACTION_TRIGGERS.join(', ')} (comma-separated), or none`;
  const items = (typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : undefined)
    ?.map((v) => (typeof v === 'string' ? v.trim() : v))
    .filter((v) => v !== '');
  if (!items || items.some((v) => typeof v !== 'string'))
    throw new ConfigError(setting, `must be a string or an array of strings; ${expected}`);
  const names = items as string[];
  if (names.some((n) => n.toLowerCase() === 'none')) {
    if (names.length > 1) throw new ConfigError(setting, `"none" cannot be combined with other triggers; ${expected}`);
    return triggersOf([]);
  }
  return triggersOf(
    names.map((n) => {
      const trigger = ACTION_TRIGGERS.find((t) => t.toLowerCase() === n.toLowerCase());
      if (!trigger) throw new ConfigError(setting, `"${n}" is not a trigger; ${expected}`);
      return trigger;
    }),
  );
}

/** The function's reading: exactly the names the stack writes. */
export function parseTriggerNames(setting: string, value: string): ActionTriggers {
  const wanted =
    value.trim() === 'none'
      ? []
      : value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
  for (const w of wanted) {
    if (!(ACTION_TRIGGERS as string[]).includes(w)) {
      throw new ConfigError(setting, `"${w}" is not a trigger; use some of ${ACTION_TRIGGERS.join(', ')}, or none`);
    }
  }
  return triggersOf(wanted);
}
