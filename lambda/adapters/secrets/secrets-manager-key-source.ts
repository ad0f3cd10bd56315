// KeySource over AWS Secrets Manager, read through Powertools Parameters so the value is cached
// across warm invocations (one GetSecretValue per maxAge, not one per run).
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigError } from '../../core/errors';
import type { KeySource } from '../../core/ports';
import { SETTINGS } from '../../settings';
import { checkApiKey } from './api-key-value';

export interface SecretsManagerKeySourceOptions {
  /** Secret name or ARN. */
  secretId: string;
  /** JSON field holding the key when the secret is a JSON object. Default: the secretField setting's. */
  field?: string;
  /** How long a fetched value is reused, in seconds; 0 disables the cache. Default: secretMaxAgeSeconds's. */
  maxAgeSeconds?: number;
  /** Injected in tests (a mock or a client pointed at a local endpoint); else the provider makes one. */
  client?: SecretsManagerClient;
  /** Setting named in ConfigErrors. Default: the secret setting's variable. */
  settingName?: string;
}

/**
 * The secret holds either the bare key, or a JSON object with the key in `field`
 * (`{"apiKey": "..."}`, the shape the console's key/value editor produces).
 * Create it once at module scope: the cache lives in the returned object.
 */
export function createSecretsManagerKeySource(options: SecretsManagerKeySourceOptions): KeySource {
  const {
    secretId,
    field = SETTINGS.secretField.default,
    maxAgeSeconds = SETTINGS.secretMaxAgeSeconds.default,
    client,
    settingName: setting = SETTINGS.secret.env,
  } = options;
  if (secretId.trim() === '')
    throw new ConfigError(setting, 'is empty; set it to the name or ARN of the secret holding the DialNexa API key');
  const provider = new SecretsProvider(client ? { awsSdkV3Client: client } : {});
  const label = `secret "${secretId}"`;

  const read = async (fresh: boolean): Promise<string> => {
    let value: string | Uint8Array | undefined;
    try {
      value = await provider.get(secretId, { maxAge: maxAgeSeconds, forceFetch: fresh });
    } catch (err) {
      throw mapReadError(err, setting, label);
    }
    return extractKey(value, field, setting, label);
  };
  // A run starts its listing, agents and calls reads together: they share one read of the secret,
  // and after a 401 (each of them sees it) one fresh read.
  const reading: { cached?: Promise<string>; fresh?: Promise<string> } = {};
  const shared = (kind: 'cached' | 'fresh') => {
    reading[kind] ??= read(kind === 'fresh').finally(() => {
      reading[kind] = undefined;
    });
    return reading[kind];
  };
  return {
    description: label,
    getKey: (getOptions) => shared(getOptions?.fresh === true ? 'fresh' : 'cached'),
  };
}

function extractKey(value: string | Uint8Array | undefined, field: string, setting: string, label: string): string {
  // Powertools hands back undefined for an empty SecretString (and no binary).
  if (value === undefined) {
    throw new ConfigError(setting, `${label} has no value (empty SecretString); store the API key in it`);
  }
  if (typeof value !== 'string') {
    throw new ConfigError(setting, `${label} is stored as binary (SecretBinary); store the API key as a string`);
  }
  const trimmed = value.trim();
  let raw: string = trimmed;
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      // The parser's message quotes the input, so neither it nor the error goes anywhere.
      throw new ConfigError(
        setting,
        `${label} looks like JSON but does not parse; store the bare key or {"${field}": "<key>"}`,
      );
    }
    const candidate = isRecord(parsed) ? parsed[field] : undefined;
    if (typeof candidate !== 'string') {
      throw new ConfigError(setting, `${label} is JSON but has no string field "${field}"`);
    }
    raw = candidate;
  }
  const checked = checkApiKey(raw);
  if (!checked.ok) {
    const where = raw === trimmed ? label : `${label} field "${field}"`;
    throw new ConfigError(setting, `${where} ${checked.problem}`);
  }
  return checked.key;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Powertools wraps SDK errors in GetParameterError; the SDK error is its `cause`. */
function mapReadError(err: unknown, setting: string, label: string): unknown {
  const sdkError = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  const name = sdkError instanceof Error ? sdkError.name : '';
  const detail = sdkError instanceof Error && sdkError.message ? ` (${sdkError.message.replace(/\.$/, '')})` : '';
  switch (name) {
    case 'ResourceNotFoundException':
      return new ConfigError(
        setting,
        `${label} was not found in Secrets Manager${detail}. Check the name or ARN, and that the function runs in the secret's account and region`,
        { cause: sdkError },
      );
    case 'AccessDeniedException':
      return new ConfigError(
        setting,
        `access to ${label} was denied${detail}. Allow secretsmanager:GetSecretValue on the secret for the role that runs the audit ` +
          '(and kms:Decrypt when the secret uses a customer-managed KMS key)',
        { cause: sdkError },
      );
    case 'DecryptionFailure':
      return new ConfigError(
        setting,
        `Secrets Manager could not decrypt ${label}${detail}. Allow kms:Decrypt on the secret's KMS key for the role that runs the audit`,
        { cause: sdkError },
      );
    case 'InvalidRequestException':
      return new ConfigError(
        setting,
        `${label} cannot be read${detail}. A secret scheduled for deletion must be restored first`,
        { cause: sdkError },
      );
    default:
      // Throttling, network, service errors: not a configuration problem; surface the SDK error.
      return sdkError;
  }
}
