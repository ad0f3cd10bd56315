// The decision after one attempt, as a pure function of what came back: the value, a retry
// after so many ms, or an error to stop with. The loop in request.ts only carries it out.
import type { PermissionError } from '../../core/errors';
import { exhausted, type Failure, type FailureContext, refused, unauthorized } from './failures';
import { type HttpHeaders, type HttpOutcome, statusLine } from './http';
import { type BackoffOptions, backoffDelay, isRetryableStatus, parseRetryAfter } from './retry';
import { errorMessageOf, MalformedBodyError } from './schema';
import { boundText, cleanApiText, SERVER_TEXT_MAX_CHARS } from '../../core/api-text';

/** A 2xx: the answer is the value, once its body parses. */
export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

export interface ClassifyRules<T> extends FailureContext {
  /** Turns a 2xx body into a value; throws MalformedBodyError to have it retried. */
  parse: (text: string) => T;
  /** The 403 error for this endpoint (which access is missing). */
  forbidden: (serverMessage: string | null) => PermissionError;
  maxAttempts: number;
  backoff: BackoffOptions;
}

export interface AttemptFacts {
  /** The answer, or why there is none. */
  outcome: HttpOutcome;
  /** 1 for the first try; a retry with a rotated key does not count. */
  attempt: number;
  nowMs: number;
  /** After a 401 only: whether a fresh read of the key gave a different key. */
  keyChanged?: boolean;
}

export type Verdict<T> =
  | { kind: 'success'; value: T }
  /** A 401: read the key afresh, then classify again with `keyChanged`. */
  | { kind: 'reread-key' }
  /** Ask again at once with the rotated key: a new question, not the same one asked too early. */
  | { kind: 'rekey' }
  | {
      kind: 'retry';
      failure: Failure;
      delayMs: number;
      retryAfterMs: number | null;
      /** A 429 with Retry-After holds every request of the client until then. */
      pauseUntilMs: number | null;
    }
  | { kind: 'fatal'; error: Error };

/** A verdict the loop can act on without asking anything more. */
export type Decision<T> = Exclude<Verdict<T>, { kind: 'reread-key' }>;

export function classify<T>(facts: AttemptFacts, rules: ClassifyRules<T>): Verdict<T> {
  const { outcome } = facts;
  if (!outcome.ok) {
    return outcome.kind === 'too-large'
      ? retryOrStop(
          facts,
          rules,
          { kind: 'malformed', detail: `${statusLine(outcome.status)} answer: ${outcome.detail}` },
          outcome.headers,
        )
      : retryOrStop(facts, rules, { kind: outcome.kind, detail: outcome.detail }, null);
  }
  const { status, headers, text } = outcome.answer;
  if (isSuccess(status)) return parsed(facts, rules, text, headers);
  if (status === 401) {
    return facts.keyChanged === undefined ? { kind: 'reread-key' } : afterKeyReread(facts.keyChanged, rules);
  }
  if (status === 403) return { kind: 'fatal', error: rules.forbidden(serverSaid(rules, text)) };
  if (isRetryableStatus(status)) {
    const isHtml = /html/i.test(headers.get('content-type') ?? '');
    return retryOrStop(facts, rules, { kind: 'status', status, message: serverSaid(rules, text), isHtml }, headers);
  }
  return { kind: 'fatal', error: refused(status, serverSaid(rules, text), rules) };
}

/** A 401 once the key was read afresh: one more try only with a different key. */
export function afterKeyReread<T>(keyChanged: boolean, rules: FailureContext): Decision<T> {
  return keyChanged ? { kind: 'rekey' } : { kind: 'fatal', error: unauthorized(rules) };
}

function parsed<T>(facts: AttemptFacts, rules: ClassifyRules<T>, text: string, headers: HttpHeaders): Verdict<T> {
  try {
    return { kind: 'success', value: rules.parse(text) };
  } catch (err) {
    if (!(err instanceof MalformedBodyError)) throw err;
    return retryOrStop(facts, rules, { kind: 'malformed', detail: err.describe(rules.redact) }, headers);
  }
}

/** Retry-After is a floor under the backoff; X-RateLimit-* is the limiter's to read. */
function retryOrStop<T>(
  facts: AttemptFacts,
  rules: ClassifyRules<T>,
  failure: Failure,
  headers: HttpHeaders | null,
): Verdict<T> {
  if (facts.attempt >= rules.maxAttempts) return { kind: 'fatal', error: exhausted(failure, facts.attempt, rules) };
  const retryAfterMs = headers ? parseRetryAfter(headers.get('retry-after'), facts.nowMs) : null;
  const delayMs = Math.max(backoffDelay(facts.attempt - 1, rules.backoff), retryAfterMs ?? 0);
  const rateLimited = failure.kind === 'status' && failure.status === 429;
  const pauseUntilMs = rateLimited && retryAfterMs !== null ? facts.nowMs + retryAfterMs : null;
  return { kind: 'retry', failure, delayMs, retryAfterMs, pauseUntilMs };
}

/**
 * What the server said in its error envelope, fit to quote: controls and bidi marks removed, the
 * key redacted, then cut to SERVER_TEXT_MAX_CHARS (in that order, so a cut cannot split a key).
 */
function serverSaid(rules: FailureContext, body: string): string | null {
  const said = cleanApiText(errorMessageOf(body));
  return said === null ? null : boundText(rules.redact(said), SERVER_TEXT_MAX_CHARS);
}
