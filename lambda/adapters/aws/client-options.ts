// Limits for the S3 and Secrets Manager calls of a run. The SDK's defaults have no request
// timeout at all: a call that hangs would eat the margin kept for rendering and sending the
// report. SES has its own single-attempt client (adapters/ses): a resent email is worse than none.

export interface AwsCallLimits {
  /** Attempts in all, the first included (the SDK's standard retry strategy with backoff). */
  maxAttempts: number;
  /** Time to open the connection. */
  connectionTimeoutMs: number;
  /** Time from sending the request to the end of the answer, per attempt. */
  requestTimeoutMs: number;
}

export const AWS_CALL_LIMITS: AwsCallLimits = { maxAttempts: 3, connectionTimeoutMs: 3_000, requestTimeoutMs: 8_000 };

/** Client options that bound every attempt and the number of attempts. */
export function awsClientOptions(limits: Partial<AwsCallLimits> = {}) {
  const { maxAttempts, connectionTimeoutMs, requestTimeoutMs } = { ...AWS_CALL_LIMITS, ...limits };
  return {
    maxAttempts,
    // Without throwOnRequestTimeout the handler only logs a warning when requestTimeout passes and
    // keeps waiting for the answer.
    requestHandler: {
      connectionTimeout: connectionTimeoutMs,
      requestTimeout: requestTimeoutMs,
      throwOnRequestTimeout: true,
    },
  };
}
