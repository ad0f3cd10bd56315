// One logical GET with its retries: the shared rate limiter, the per-request timeout, backoff
// with Retry-After, the single fresh key read after a 401, and errors a user can act on.
import { ApiError, AuthError, RateLimitedError, type PermissionError } from '../../core/errors';
import type { Logger } from '../../core/ports';
import type { ListingStats } from '../../core/types';
import { buildUrl, exchange, statusLine } from './http';
import type { KeyHolder } from './key';
import type { RateLimiter } from './rate-limit';
import { backoffDelay, isRetryableStatus, parseRetryAfter } from './retry';
import type { Run } from './run';
import { errorMessageOf, MalformedBodyError } from './schema';

export interface RequestSettings {
  baseUrl: string;
  fetch: typeof fetch;
  now: () => number;
  random: () => number;
  logger: Logger;
  requestTimeoutMs: number;
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Largest response body read; a larger one is a malformed answer. */
  maxBodyBytes: number;
  limiter: RateLimiter;
}

/** Per-operation state a request reads and updates. */
export interface RequestScope {
  run: Run;
  keys: KeyHolder;
  stats: Pick<ListingStats, 'requests' | 'retries' | 'rateLimited'>;
}

export interface RequestSpec<T> {
  path: string;
  query: Record<string, string | undefined>;
  /** Names the thing fetched in messages: "page 3", "the agents list". */
  what: string;
  /** Turns a 200 body into a value; throws MalformedBodyError to have it retried. */
  parse: (text: string) => T;
  /** The 403 error for this endpoint (which scope is missing). */
  forbidden: (serverMessage: string | null) => PermissionError;
}

type Failure =
  | { kind: 'status'; status: number; message: string | null; isHtml: boolean }
  | { kind: 'malformed'; detail: string }
  | { kind: 'timeout' | 'network'; detail: string };

export async function getJson<T>(settings: RequestSettings, scope: RequestScope, spec: RequestSpec<T>): Promise<T> {
  const { run, keys, stats } = scope;
  const { limiter, logger, now } = settings;
  const url = buildUrl(settings.baseUrl, spec.path, spec.query);
  let failures = 0;

  for (;;) {
    run.check();
    const key = await keys.get();
    await limiter.acquire(run);
    stats.requests += 1;
    let headers: Headers | null = null;
    let failure: Failure;
    try {
      const outcome = await exchange({
        fetch: settings.fetch,
        url,
        headers: { Authorization: `Bearer ${key}`, Accept: 'application/json' },
        timeoutMs: settings.requestTimeoutMs,
        signal: run.signal,
        maxBodyBytes: settings.maxBodyBytes,
      });
      if (!outcome.ok && outcome.kind === 'too-large') {
        headers = outcome.headers;
        failure = { kind: 'malformed', detail: `${statusLine(outcome.status)} answer: ${outcome.detail}` };
      } else if (!outcome.ok) {
        failure = { kind: outcome.kind, detail: outcome.detail };
      } else {
        const { status, text } = outcome.answer;
        headers = outcome.answer.headers;
        if (status >= 200 && status < 300) {
          try {
            return spec.parse(text);
          } catch (err) {
            if (!(err instanceof MalformedBodyError)) throw err;
            failure = { kind: 'malformed', detail: err.message };
          }
        } else if (status === 401) {
          const next = await keys.afterUnauthorized(key);
          if (next === null) {
            throw new AuthError(
              `DialNexa rejected the API key from ${keys.source.description} (401): the key is invalid or revoked. ` +
                `Create a new key in the DialNexa dashboard and store it in ${keys.source.description}.`,
            );
          }
          // No backoff: a re-read key is a new question, not the same one asked too early.
          stats.retries += 1;
          logger.info('DialNexa rejected the API key (401); retrying once with a freshly read key', {
            what: spec.what,
            status,
          });
          continue;
        } else if (status === 403) {
          throw spec.forbidden(redactOrNull(keys, errorMessageOf(text)));
        } else if (isRetryableStatus(status)) {
          const contentType = outcome.answer.headers.get('content-type') ?? '';
          failure = { kind: 'status', status, message: errorMessageOf(text), isHtml: /html/i.test(contentType) };
          if (status === 429) stats.rateLimited += 1;
        } else {
          const message = errorMessageOf(text);
          const hint = status === 404 ? ` Check the DialNexa base URL (${settings.baseUrl}).` : '';
          throw new ApiError(
            keys.redact(
              `DialNexa refused the request for ${spec.what} (${statusLine(status)}): ${message ?? 'no error message given'}.${hint}`,
            ),
            status,
          );
        }
      }
    } finally {
      limiter.release(headers);
    }

    failures += 1;
    if (failures >= settings.maxAttempts) throw exhausted(spec.what, failure, failures, settings, keys);

    const retryAfter = headers ? parseRetryAfter(headers.get('retry-after'), now()) : null;
    const backoff = backoffDelay(failures - 1, settings);
    const delayMs = Math.max(backoff, retryAfter ?? 0);
    if (retryAfter !== null && failure.kind === 'status' && failure.status === 429) {
      limiter.pause(now() + retryAfter);
    }
    stats.retries += 1;
    logger.info('DialNexa request failed; retrying', {
      what: spec.what,
      ...(failure.kind === 'status' ? { status: failure.status } : { error: failure.kind }),
      attempt: failures,
      maxAttempts: settings.maxAttempts,
      delayMs,
      ...(retryAfter !== null ? { retryAfterMs: retryAfter } : {}),
    });
    await run.sleep(delayMs, `the retry of ${spec.what} after ${describeFailure(failure)}`);
  }
}

function redactOrNull(keys: KeyHolder, text: string | null): string | null {
  return text === null ? null : keys.redact(text);
}

function describeFailure(f: Failure): string {
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

function exhausted(what: string, f: Failure, attempts: number, settings: RequestSettings, keys: KeyHolder): Error {
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
        keys.redact(
          `DialNexa answered ${statusLine(f.status)} for ${what} on all ${tries}${said}. The service may be down; run again later.`,
        ),
        f.status,
      );
    }
    case 'malformed':
      return new ApiError(keys.redact(`DialNexa returned a malformed ${what} on all ${tries}: ${f.detail}`), 200);
    case 'timeout':
      return new ApiError(
        `DialNexa did not answer ${what} within ${settings.requestTimeoutMs} ms on all ${tries}. The service may be overloaded; run again later.`,
      );
    case 'network':
      return new ApiError(
        keys.redact(
          `could not reach DialNexa at ${new URL(settings.baseUrl).origin} for ${what} (${tries}): ${f.detail}`,
        ),
      );
  }
}
