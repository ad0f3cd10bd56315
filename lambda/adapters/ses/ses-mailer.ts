// RawMailer over SES v1 SendRawEmail: the one SES API that takes a ready MIME message with
// attachments and that the local emulator also speaks.
import { SESClient, SendRawEmailCommand, type SESClientConfig } from '@aws-sdk/client-ses';
import { DeliveryError, DeliveryUncertainError } from '../../core/errors';
import type { RawMailer } from '../../core/ports';
import { type AwsCallLimits, awsClientOptions } from '../aws/client-options';

export interface SesRawMailerOptions {
  /** Create it once at module scope and pass it in, so warm invocations reuse its connections. */
  client?: SESClient;
  /** SES configuration set for event publishing (bounces, complaints, deliveries). */
  configurationSetName?: string;
}

/**
 * One attempt only (an SDK retry after a lost answer would send the email twice; retries belong to
 * the claim protocol) and a bounded request time.
 */
export const SES_CALL_LIMITS: AwsCallLimits = { maxAttempts: 1, connectionTimeoutMs: 5_000, requestTimeoutMs: 30_000 };

/** An SES client for sending reports, within SES_CALL_LIMITS (`limits` narrows them, for tests). */
export function createSesClient(overrides: SESClientConfig = {}, limits: Partial<AwsCallLimits> = {}): SESClient {
  return new SESClient({ ...awsClientOptions({ ...SES_CALL_LIMITS, ...limits }), ...overrides });
}

export class SesRawMailer implements RawMailer {
  private readonly client: SESClient;
  private readonly configurationSetName?: string;

  constructor(options: SesRawMailerOptions = {}) {
    this.client = options.client ?? createSesClient();
    this.configurationSetName = options.configurationSetName;
  }

  async sendRaw(raw: Buffer, envelope: { from: string; to: string[] }): Promise<{ messageId: string }> {
    let messageId: string | undefined;
    try {
      const out = await this.client.send(
        new SendRawEmailCommand({
          RawMessage: { Data: raw },
          Source: envelope.from,
          Destinations: envelope.to,
          ...(this.configurationSetName ? { ConfigurationSetName: this.configurationSetName } : {}),
        }),
      );
      messageId = out.MessageId;
    } catch (err) {
      throw toDeliveryError(err, envelope.from, this.configurationSetName);
    }
    // SES answered 200: the message was accepted, so this is not a refusal that may be retried.
    if (!messageId)
      throw new DeliveryUncertainError(
        'SES accepted the request but returned no MessageId; the report was probably sent',
      );
    return { messageId };
  }
}

/** SES answered with a client error (4xx): it refused the message, nothing was sent. */
function definitelyRefused(err: unknown): boolean {
  const status = (err as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/** Connection errors raised before a byte of the request could reach SES. */
const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * The request never left this machine: no credentials or region to sign it with, or no
 * connection to send it on. Then nothing was sent, and saying "may have been sent" would be false.
 */
function neverSent(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err.name === 'CredentialsProviderError' || /^Region is missing/.test(err.message)) return true;
  // The connection timeout fires before a socket to SES existed: no byte of the request was sent.
  if (/did not establish a connection/.test(err.message)) return true;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') return NEVER_CONNECTED.has(code);
  // The SDK's retry layer can wrap a foreign error into a plain one that keeps only its text.
  return [...NEVER_CONNECTED].some((c) => err.message.includes(`connect ${c}`) || err.message.includes(`${c} `));
}

interface Refusal {
  awsMessage: string;
  from: string;
  configurationSetName?: string;
}

/** What to do about each refusal SES names; any other gets its own name and message. */
const REFUSALS: Readonly<Record<string, (r: Refusal) => string>> = {
  MessageRejected: (r) =>
    `SES rejected the message: ${r.awsMessage}. Verify the sender identity ${r.from} in SES (and, while the ` +
    'account is in the SES sandbox, every recipient), or request production access for the account',
  MailFromDomainNotVerifiedException: (r) =>
    `SES refused the message: the custom MAIL FROM domain of ${r.from} is not verified (${r.awsMessage}). ` +
    'Publish the MX and SPF records SES asks for on that MAIL FROM domain, or remove the custom MAIL FROM setting',
  ConfigurationSetDoesNotExistException: (r) =>
    `SES configuration set "${r.configurationSetName ?? ''}" does not exist in this account and region ` +
    `(${r.awsMessage}). Create it in SES, or fix or remove the configuration set setting`,
  ConfigurationSetSendingPausedException: (r) =>
    `Sending is paused for SES configuration set "${r.configurationSetName ?? ''}" (${r.awsMessage}). ` +
    'Resume sending for the configuration set in SES',
  AccountSendingPausedException: (r) =>
    `Sending is paused for this SES account in this region (${r.awsMessage}). ` +
    'Check the SES account dashboard (reputation, bounce or complaint rates) and resume sending',
  AccessDenied: (r) => accessDenied(r),
  AccessDeniedException: (r) => accessDenied(r),
};

function accessDenied(r: Refusal): string {
  return (
    `SES denied SendRawEmail (${r.awsMessage}). Allow ses:SendRawEmail on the identity of ${r.from}` +
    (r.configurationSetName ? ` and on configuration set "${r.configurationSetName}"` : '') +
    ' for the role that sends'
  );
}

/** Turns an SES failure into a message that says what to fix. */
export function toDeliveryError(
  err: unknown,
  from: string,
  configurationSetName?: string,
): DeliveryError | DeliveryUncertainError {
  const name = err instanceof Error ? err.name : 'Error';
  const awsMessage = (err instanceof Error ? err.message : String(err)).replace(/\.$/, '') || name;
  const cause = { cause: err };
  if (neverSent(err)) {
    return new DeliveryError(
      `could not send the report to SES (${name}: ${awsMessage}); nothing was sent. ` +
        'Check the AWS region, credentials and network (or AWS_ENDPOINT_URL_SES), then run again',
      cause,
    );
  }
  if (!definitelyRefused(err)) {
    return new DeliveryUncertainError(
      `SES gave no definite answer to SendRawEmail (${name}: ${awsMessage}); the report may or may not have been sent. ` +
        "Check the recipients' inboxes before running it again",
      cause,
    );
  }
  const refusal = Object.hasOwn(REFUSALS, name) ? REFUSALS[name] : undefined;
  const message = refusal?.({ awsMessage, from, configurationSetName });
  return new DeliveryError(message ?? `SES SendRawEmail failed (${name}): ${awsMessage}`, cause);
}
