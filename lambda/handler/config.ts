// The Lambda's configuration: read from environment variables once, at cold start. Every error
// names the variable. Variables carry names and ARNs only, never the key itself.
import { ConfigError } from '../core/errors';
import {
  parseEmail,
  parseEmailList,
  parseHttpsUrl,
  parseIntInRange,
  parseTimeZone,
} from '../core/validation';

export interface HandlerConfig {
  secretId: string;
  secretField: string;
  secretMaxAgeSeconds: number;
  baseUrl: string;
  recipients: string[];
  sender: string;
  replyTo?: string[];
  configurationSetName?: string;
  timeZone: string;
  workspaceName: string;
  /** Time kept back from the Lambda's remaining time for rendering and sending. */
  deadlineMarginMs: number;
  /** Name of this function, for the "run on demand" hint in the footer. */
  functionName: string;
}

export const DEFAULT_BASE_URL = 'https://api.dialnexa.com';

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

  const secretId = required('DIALNEXA_SECRET_ID');
  if (!/^[A-Za-z0-9/_+=.@:-]{1,2048}$/.test(secretId)) {
    throw new ConfigError('DIALNEXA_SECRET_ID', 'must be a Secrets Manager secret name or ARN');
  }
  const secretField = optional('DIALNEXA_SECRET_FIELD') ?? 'apiKey';
  if (!/^[A-Za-z0-9_.-]{1,128}$/.test(secretField)) {
    throw new ConfigError('DIALNEXA_SECRET_FIELD', 'must be a JSON field name (letters, digits, _ . -)');
  }
  const configurationSetName = optional('SES_CONFIGURATION_SET');
  if (configurationSetName !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(configurationSetName)) {
    throw new ConfigError('SES_CONFIGURATION_SET', 'must be an SES configuration set name (letters, digits, _ and -, at most 64)');
  }
  const replyTo = optional('REPORT_REPLY_TO');
  const workspaceName = optional('WORKSPACE_NAME') ?? 'DialNexa workspace';
  if (/[\r\n]/.test(workspaceName) || workspaceName.length > 100) {
    throw new ConfigError('WORKSPACE_NAME', 'must be one line of at most 100 characters');
  }

  return {
    secretId,
    secretField,
    secretMaxAgeSeconds: parseIntInRange('SECRET_MAX_AGE_SECONDS', optional('SECRET_MAX_AGE_SECONDS') ?? '300', 0, 3600),
    baseUrl: parseHttpsUrl('DIALNEXA_BASE_URL', optional('DIALNEXA_BASE_URL') ?? DEFAULT_BASE_URL, {
      // The simulator used by local tests speaks plain HTTP on loopback; nothing else may.
      allowLoopbackHttp: true,
    }),
    recipients: parseEmailList('REPORT_RECIPIENTS', required('REPORT_RECIPIENTS')),
    sender: parseEmail('REPORT_SENDER', required('REPORT_SENDER')),
    replyTo: replyTo === undefined ? undefined : parseEmailList('REPORT_REPLY_TO', replyTo),
    configurationSetName,
    timeZone: parseTimeZone('REPORT_TIME_ZONE', optional('REPORT_TIME_ZONE') ?? 'UTC'),
    workspaceName,
    deadlineMarginMs: parseIntInRange('RUN_DEADLINE_MARGIN_MS', optional('RUN_DEADLINE_MARGIN_MS') ?? '20000', 1000, 300000),
    functionName: optional('AWS_LAMBDA_FUNCTION_NAME') ?? 'the number-audit function',
  };
}
