// One logical GET with its retries: the shared rate limiter, the per-request timeout, backoff
// with Retry-After and the single fresh key read after a 401. What each answer means is decided
// in classify.ts; this loop only sends, waits and counts.
import type { PermissionError } from '../../core/errors';
import type { Logger } from '../../core/ports';
import type { ListingStats } from '../../core/types';
import { afterKeyReread, type ClassifyRules, classify, type Decision, isSuccess } from './classify';
import { describeFailure } from './failures';
import { buildUrl, exchange, type HttpHeaders, type HttpOutcome, type Transport } from './http';
import type { KeyHolder } from './key';
import type { RateLimiter } from './rate-limit';
import { scrubJsonText } from './scrub';
import type { Run } from './run';
import { type RequestSlots, SlotPlace } from './slots';

/**
 * Sent with every request: fetch sent `node`, node:http sends none, and common WAF rules (AWS WAF's
 * NoUserAgent_HEADER among them) refuse a request without one, which would read as a refused key.
 * No Accept-Encoding: pages come uncompressed (a page of 100 numbers is ~26 KB, and the listing is
 * bound by the API's rate limit, not by bandwidth).
 */
export const USER_AGENT = 'number-audit';

export interface RequestSettings {
  baseUrl: string;
  transport: Transport;
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
  /** Places shared with the other requests of a pool: each attempt holds one until its answer is in. */
  slots?: RequestSlots;
}

export async function getJson<T>(settings: RequestSettings, scope: RequestScope, spec: RequestSpec<T>): Promise<T> {
  const url = buildUrl(settings.baseUrl, spec.path, spec.query);
  const rules = classifyRules(settings, scope.keys, spec);
  const place = new SlotPlace(spec.slots);
  try {
    return await attempts(settings, scope, spec, { url, rules, place });
  } finally {
    place.leave();
  }
}

/** The attempts of one request, in the place it holds: retries keep it, a 2xx answer frees it. */
async function attempts<T>(
  settings: RequestSettings,
  scope: RequestScope,
  spec: RequestSpec<T>,
  { url, rules, place }: { url: string; rules: ClassifyRules<T>; place: SlotPlace },
): Promise<T> {
  const { run, stats } = scope;
  const { logger, maxAttempts } = settings;
  for (let attempt = 1; ; ) {
    await place.take();
    const verdict = await send(settings, scope, url, rules, attempt, () => place.answered());
    if (verdict.kind === 'success') return verdict.value;
    if (verdict.kind === 'fatal') throw verdict.error;
    stats.retries += 1;
    if (verdict.kind === 'rekey') {
      logger.info('DialNexa rejected the API key (401); retrying once with a freshly read key', {
        what: spec.what,
        status: 401,
      });
      continue;
    }
    const { failure, delayMs, retryAfterMs, pauseUntilMs } = verdict;
    if (pauseUntilMs !== null) settings.limiter.pause(pauseUntilMs);
    logger.info('DialNexa request failed; retrying', {
      what: spec.what,
      ...(failure.kind === 'status' ? { status: failure.status } : { error: failure.kind }),
      attempt,
      maxAttempts,
      delayMs,
      ...(retryAfterMs !== null ? { retryAfterMs } : {}),
    });
    attempt += 1;
    await run.sleep(delayMs, `the retry of ${spec.what} after ${describeFailure(failure)}`);
  }
}

function classifyRules<T>(settings: RequestSettings, keys: KeyHolder, spec: RequestSpec<T>): ClassifyRules<T> {
  return {
    what: spec.what,
    parse: (text) => spec.parse(scrubJsonText(text, (t) => keys.redact(t))),
    forbidden: spec.forbidden,
    baseUrl: settings.baseUrl,
    requestTimeoutMs: settings.requestTimeoutMs,
    keyDescription: keys.source.description,
    redact: (text) => keys.redact(text),
    maxAttempts: settings.maxAttempts,
    backoff: settings,
  };
}

/** One attempt inside a limiter slot, held until the answer (and a 401's key re-read) is judged. */
async function send<T>(
  settings: RequestSettings,
  { run, keys, stats }: RequestScope,
  url: string,
  rules: ClassifyRules<T>,
  attempt: number,
  answered: () => Promise<void>,
): Promise<Decision<T>> {
  run.check();
  const key = await keys.get();
  await settings.limiter.acquire(run);
  stats.requests += 1;
  let headers: HttpHeaders | null = null;
  let limiterHeld = true;
  try {
    const outcome = await exchange({
      transport: settings.transport,
      url,
      headers: { Authorization: `Bearer ${key}`, Accept: 'application/json', 'User-Agent': USER_AGENT },
      timeoutMs: settings.requestTimeoutMs,
      signal: run.signal,
      maxBodyBytes: settings.maxBodyBytes,
    });
    headers = headersOf(outcome);
    // A 2xx answer fully read: the limiter learns its headers and its place goes to the next
    // request, both before it is parsed. Any other answer (a too-large body included) keeps both
    // until judged: a retry or a key re-read comes before anything new.
    if (outcome.ok && isSuccess(outcome.answer.status)) {
      limiterHeld = false;
      settings.limiter.release(headers);
      await answered();
    }
    if (outcome.ok && outcome.answer.status === 429) stats.rateLimited += 1;
    const verdict = classify({ outcome, attempt, nowMs: settings.now() }, rules);
    if (verdict.kind !== 'reread-key') return verdict;
    return afterKeyReread((await keys.afterUnauthorized(key)) !== null, rules);
  } finally {
    if (limiterHeld) settings.limiter.release(headers);
  }
}

function headersOf(outcome: HttpOutcome): HttpHeaders | null {
  if (outcome.ok) return outcome.answer.headers;
  return outcome.kind === 'too-large' ? outcome.headers : null;
}
