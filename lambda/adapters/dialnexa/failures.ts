// What can go wrong with one DialNexa request, and the errors a user can act on when it does.
import { ApiError, AuthError, PermissionError, RateLimitedError } from '../../core/errors';
import { statusLine } from './http';

/** A failed attempt worth another one. */
export type Failure =
  | { kind: 'status'; status: number; message: string | null; isHtml: boolean }
  | { kind: 'malformed'; detail: string }
  | { kind: 'timeout' | 'network'; detail: string };

/** What the messages need to know about the client and the request. */
export interface FailureContext {
  /** Names the thing fetched: "page 3", "the agents list". */
  what: string;
  baseUrl: string;
  requestTimeoutMs: number;
  /** Where the key came from: 'secret "prod/dialnexa"'. */
  keyDescription: string;
  /** Removes any key we sent from text built out of server answers. */
  redact: (text: string) => string;
}

/** "a timeout": the cause of a retry wait, for the deadline message. */
export function describeFailure(f: Failure): string {
  switch (f.kind) {
    case 'status':
      return statusLine(f.status);
    case 'malformed':
      return 'a malformed answer';
    case 'timeout':
      return 'a timeout';
    case 'network':
      return 'a network error';
  }
}

/** The last failure once every attempt is spent. */
export function exhausted(f: Failure, attempts: number, ctx: FailureContext): Error {
  const { what, redact } = ctx;
  const tries = `${attempts} attempt${attempts === 1 ? '' : 's'}`;
  switch (f.kind) {
    case 'status': {
      if (f.status === 429) {
        return new RateLimitedError(
          `DialNexa kept answering 429 Too Many Requests for ${what}; gave up after ${tries}. ` +
            'The rate limit is per API key: another client may be using the same key. Run again later.',
        );
      }
      const said = f.message ? `: ${f.message}` : f.isHtml ? ' (an HTML error page, likely from a proxy)' : '';
      return new ApiError(
        redact(
          `DialNexa answered ${statusLine(f.status)} for ${what} on all ${tries}${said}. The service may be down; run again later.`,
        ),
        f.status,
      );
    }
    case 'malformed':
      return new ApiError(redact(`DialNexa returned a malformed ${what} on all ${tries}: ${f.detail}`), 200);
    case 'timeout':
      return new ApiError(
        `DialNexa did not answer ${what} within ${ctx.requestTimeoutMs} ms on all ${tries}. The service may be overloaded; run again later.`,
      );
    case 'network':
      return new ApiError(
        redact(`could not reach DialNexa at ${new URL(ctx.baseUrl).origin} for ${what} (${tries}): ${f.detail}`),
      );
  }
}

/** A 401 that a fresh read of the key did not cure. */
export function unauthorized(ctx: FailureContext): AuthError {
  return new AuthError(
    `DialNexa rejected the API key from ${ctx.keyDescription} (401): the key is invalid or revoked. ` +
      `Create a new key in the DialNexa dashboard and store it in ${ctx.keyDescription}.`,
  );
}

/** A 4xx other than 401, 403 and 429: asking again would get the same answer. */
export function refused(status: number, serverMessage: string | null, ctx: FailureContext): ApiError {
  const hint = status === 404 ? ` Check the DialNexa base URL (${ctx.baseUrl}).` : '';
  return new ApiError(
    ctx.redact(
      `DialNexa refused the request for ${ctx.what} (${statusLine(status)}): ${serverMessage ?? 'no error message given'}.${hint}`,
    ),
    status,
  );
}

/** The 403 of one endpoint: which access the key lacks and how to grant it. */
export function forbidden(keyDescription: string, cannot: string, grant: string) {
  return (serverMessage: string | null): PermissionError =>
    new PermissionError(
      `DialNexa refused the key from ${keyDescription}: the key cannot ${cannot} (403): ` +
        `give it ${grant} in the DialNexa dashboard, or use a key that has it` +
        (serverMessage ? ` (DialNexa said: ${serverMessage})` : '') +
        '.',
    );
}
