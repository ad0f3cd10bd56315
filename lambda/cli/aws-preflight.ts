// Before the listing, the AWS clients a run needs (SES for --send, Secrets Manager for --secret-id)
// resolve their region and credentials the way their first call would. A machine without either
// learns it at once, with how to set it, instead of after the listing (and, for SES, instead of an
// "it may have been sent" for a request that never left the machine).
import { ConfigError } from '../core/errors';

/** The part of an SDK v3 client's resolved config the check reads. */
export interface AwsClientLike {
  config: { region: () => Promise<string>; credentials: () => Promise<unknown> };
}

/** The SDK's own Node-version warning takes 8 lines; the CLI says it in one (see nodeVersionNote). */
export const SDK_NODE_WARNING_VAR = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';
/** The Node major the AWS SDK's releases after January 2027 require (its warning's threshold). */
const SDK_MIN_NODE_MAJOR = 22;

export async function checkAwsAccess(client: AwsClientLike, flag: string, service: string): Promise<void> {
  try {
    await client.config.region();
  } catch (error) {
    throw new ConfigError(
      flag,
      `needs an AWS region for ${service} and none is set (${messageOf(error)}); ` +
        'set AWS_REGION (e.g. AWS_REGION=eu-west-1) or a region in your AWS profile. Nothing was listed or sent',
      { cause: error },
    );
  }
  try {
    await client.config.credentials();
  } catch (error) {
    throw new ConfigError(
      flag,
      `could not get AWS credentials for ${service} (${messageOf(error)}); ` +
        'set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run `aws sso login`. ' +
        'Nothing was listed or sent',
      { cause: error },
    );
  }
}

/** One line, or none on a Node the SDK keeps supporting. */
export function nodeVersionNote(nodeVersion: string): string | undefined {
  const major = Number.parseInt(nodeVersion.replace(/^v/, ''), 10);
  if (!(major < SDK_MIN_NODE_MAJOR)) return undefined;
  return `note: AWS SDK releases after January 2027 need Node ${SDK_MIN_NODE_MAJOR} or later; this is Node ${nodeVersion.replace(/^v/, '')}`;
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\.$/, '').split('\n')[0];
}
