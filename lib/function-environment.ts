// What the function is told, as environment variables: names, ARNs and settings, never a key. Each
// variable is the one the settings module names for the setting, and the handler reads it back with
// the same module. Lambda caps them at 4 KB together, which a rate card or a long workspace list can
// reach, so the size is checked at synth.
import { Token } from 'aws-cdk-lib';
import { ConfigError } from '../lambda/core/errors';
import { AUDIT_METRICS, LEASE_BEYOND_MARGIN_SECONDS, SETTINGS, type SettingSpec, secretIdOf } from '../lambda/settings';
import type { StackConfig } from './config';

export { AUDIT_METRICS };

/** Lambda rejects a function whose variables, as the JSON it measures, exceed 4 KB. */
export const LAMBDA_ENV_LIMIT_BYTES = 4096;

/** The settings the stack passes on: a context key to read and a variable to write. */
const PASSED_ON = (Object.values(SETTINGS) as readonly SettingSpec[]).filter(
  (s): s is SettingSpec & { context: keyof StackConfig; env: string } => s.context !== undefined && s.env !== undefined,
);

/** The function's environment: names, ARNs and settings only; the keys are read at run time. */
export function functionEnvironment(config: StackConfig, archiveBucket: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const spec of PASSED_ON) {
    const value = config[spec.context];
    if (value === undefined) continue;
    const text = spec.toEnv ? spec.toEnv(value as never) : String(value);
    if (text !== undefined) env[spec.env] = text;
  }
  // Only the fan-out workspace task reads secrets by prefix.
  if (!config.fanOut) delete env[SETTINGS.workspaceSecretPrefix.env];
  if (config.workspaces) {
    // The list replaces the one secret and its name.
    delete env[SETTINGS.secret.env];
    delete env[SETTINGS.workspaceName.env];
    env[SETTINGS.workspaces.env] = JSON.stringify(
      config.workspaces.map((w) => ({
        name: w.name,
        secretId: secretIdOf(w.secret),
        // The handler falls back to DIALNEXA_SECRET_FIELD; repeating it would only cost bytes.
        ...(w.secretField !== config.secretField ? { secretField: w.secretField } : {}),
      })),
    );
  }
  return {
    ...env,
    [SETTINGS.archiveBucket.env]: archiveBucket,
    // The claim is taken after listing and covers rendering and sending: the margin kept for them
    // plus two minutes. A claim older than that belongs to an attempt that died.
    [SETTINGS.idempotencyLeaseSeconds.env]: String(config.runDeadlineMarginSeconds + LEASE_BEYOND_MARGIN_SECONDS),
    [SETTINGS.serviceName.env]: AUDIT_METRICS.service,
    [SETTINGS.metricsNamespace.env]: AUDIT_METRICS.namespace,
    [SETTINGS.logLevel.env]: SETTINGS.logLevel.default,
  };
}

/** The context key an operator shortens when a variable makes the environment too big. */
const ENV_SOURCES: Record<string, [key: string, advice: string]> = {
  [SETTINGS.rateCard.env]: [SETTINGS.rateCard.context, 'fold countries that share a price into a "*" row'],
  [SETTINGS.workspaces.env]: [
    SETTINGS.workspaces.context,
    'use secret names instead of full ARNs and shorter workspace names, or split the workspaces over two stacks (stackName)',
  ],
  [SETTINGS.recipients.env]: [SETTINGS.recipients.context, 'send to a distribution list instead of each address'],
  [SETTINGS.replyTo.env]: [SETTINGS.replyTo.context, 'use one address'],
  [SETTINGS.allowedRecipientDomains.env]: [
    SETTINGS.allowedRecipientDomains.context,
    'allow fewer domains (the recipients need only their own)',
  ],
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
