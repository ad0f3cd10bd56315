// Typed errors with messages a user can act on. No message ever carries a secret value.

export abstract class AuditError extends Error {
  abstract readonly code: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Invalid or missing configuration; `setting` names the variable, flag or context key. */
export class ConfigError extends AuditError {
  readonly code = 'CONFIG';
  constructor(
    readonly setting: string,
    problem: string,
    options?: { cause?: unknown },
  ) {
    super(`${setting}: ${problem}`, options);
  }
}

/** 401: the key is missing, invalid or revoked. */
export class AuthError extends AuditError {
  readonly code = 'AUTH';
}

/** 403: the key is valid but may not read what was asked. */
export class PermissionError extends AuditError {
  readonly code = 'PERMISSION';
}

/** 429 retries ran out. */
export class RateLimitedError extends AuditError {
  readonly code = 'RATE_LIMITED';
}

/** Any other API failure (non-retryable 4xx, 5xx after retries, malformed bodies, network). */
export class ApiError extends AuditError {
  readonly code = 'API';
  constructor(
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The run's overall deadline passed before the listing finished. */
export class DeadlineExceededError extends AuditError {
  readonly code = 'DEADLINE';
}

/** SES refused the message (unverified identity, sandbox, ...). */
export class DeliveryError extends AuditError {
  readonly code = 'DELIVERY';
}

/**
 * SES gave no definite answer (network error, timeout, 5xx): the email may have gone out. Never
 * retried by us and never released for a retry: a duplicate weekly email is worse than a check.
 */
export class DeliveryUncertainError extends AuditError {
  readonly code = 'DELIVERY_UNCERTAIN';
}

/** No workspace of a several-workspace run could be read; each one's reason is in the message. */
export class AllWorkspacesFailedError extends AuditError {
  readonly code = 'ALL_WORKSPACES_FAILED';
}

/** Another invocation still holds this scheduled run's claim; retry later. */
export class RunInProgressError extends AuditError {
  readonly code = 'IN_PROGRESS';
}

export function isAuditError(e: unknown): e is AuditError {
  return e instanceof AuditError;
}

/** The message of anything thrown, for logs and warning lines. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
