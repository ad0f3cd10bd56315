// The verdict on one attempt, as a table: the classifier is pure, so no server is needed.
import {
  type AttemptFacts,
  type ClassifyRules,
  classify,
  type Verdict,
} from '../../../lambda/adapters/dialnexa/classify';
import { forbidden } from '../../../lambda/adapters/dialnexa/failures';
import type { HttpOutcome } from '../../../lambda/adapters/dialnexa/http';
import { KeyHolder } from '../../../lambda/adapters/dialnexa/key';
import { type PageEnvelope, parseJsonBody, parsePageEnvelope } from '../../../lambda/adapters/dialnexa/schema';
import { keySource, START as NOW } from './fixtures';

const KEY = 'dnx_live_SECRET_0042';

const rules: ClassifyRules<PageEnvelope> = {
  what: 'page 2',
  parse: (text) => parsePageEnvelope(parseJsonBody(text)),
  forbidden: forbidden('secret "test/dialnexa"', 'read phone numbers', 'the phone_numbers:read scope'),
  baseUrl: 'https://api.dialnexa.test/',
  requestTimeoutMs: 10_000,
  keyDescription: 'secret "test/dialnexa"',
  redact: (text) => text.split(KEY).join('[redacted]'),
  maxAttempts: 3,
  // Half of the ceiling: 125 ms before the first retry, 250 before the second.
  backoff: { baseDelayMs: 250, maxDelayMs: 20_000, random: () => 0.5 },
};

function answer(status: number, text: string, headers: Record<string, string> = {}): HttpOutcome {
  return { ok: true, answer: { status, headers: new Headers(headers), text } };
}

const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };
const PAGE = JSON.stringify({ data: [{ id: 'phn_1', phone_number: '+14155550001' }], meta: { total: 101 } });
const HTML_502 = '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>';
const error = (message: string) => JSON.stringify({ statusCode: 0, message });
const epochSeconds = (ms: number) => String(Math.floor(ms / 1000));

/** The verdict with its error reduced to what a user sees: class, message, status. */
function plain(verdict: Verdict<PageEnvelope>) {
  if (verdict.kind !== 'fatal') return verdict;
  const { name, message } = verdict.error;
  const status = (verdict.error as { status?: number }).status;
  return { kind: 'fatal', error: name, message, ...(status === undefined ? {} : { status }) };
}

function facts(outcome: HttpOutcome, attempt = 1, extra: Partial<AttemptFacts> = {}): AttemptFacts {
  return { outcome, attempt, nowMs: NOW, ...extra };
}

const retry = (
  failure: object,
  delayMs: number,
  retryAfterMs: number | null = null,
  pauseUntilMs: number | null = null,
) => ({
  kind: 'retry',
  failure,
  delayMs,
  retryAfterMs,
  pauseUntilMs,
});
const status = (code: number, message: string | null = null, isHtml = false) => ({
  kind: 'status',
  status: code,
  message,
  isHtml,
});

describe('classify', () => {
  it.each<[string, AttemptFacts, unknown]>([
    [
      'a valid 200 page is the parsed value',
      facts(answer(200, PAGE, JSON_TYPE)),
      {
        kind: 'success',
        value: {
          rawRecords: [{ id: 'phn_1', phone_number: '+14155550001' }],
          page: null,
          limit: null,
          total: 101,
          totalPages: null,
        },
      },
    ],
    [
      'a 200 that is not JSON is retried as malformed after the backoff',
      facts(answer(200, '{"data": [', JSON_TYPE)),
      retry({ kind: 'malformed', detail: 'the body is not valid JSON (10 bytes: "{\\"data\\": [")' }, 125),
    ],
    [
      'a 200 in no known envelope is retried as malformed, the backoff doubling per attempt',
      facts(answer(200, '{"rows": []}', JSON_TYPE), 2),
      retry({ kind: 'malformed', detail: 'the page has neither a "data" nor an "items" array' }, 250),
    ],
    [
      'a 200 still malformed on the last attempt is an ApiError naming the page',
      facts(answer(200, '{"data": [', JSON_TYPE), 3),
      {
        kind: 'fatal',
        error: 'ApiError',
        status: 200,
        message:
          'DialNexa returned a malformed page 2 on all 3 attempts: the body is not valid JSON (10 bytes: "{\\"data\\": [")',
      },
    ],
    [
      'a 429 waits Retry-After seconds and holds the whole client that long',
      facts(answer(429, error('Too many requests'), { ...JSON_TYPE, 'retry-after': '7' })),
      retry(status(429, 'Too many requests'), 7000, 7000, NOW + 7000),
    ],
    [
      'a 429 waits until a Retry-After HTTP date, read on the given clock',
      facts(answer(429, '', { 'retry-after': new Date(NOW + 12_000).toUTCString() })),
      retry(status(429), 12_000, 12_000, NOW + 12_000),
    ],
    [
      'Retry-After is a floor under the backoff, not a replacement for it',
      facts(answer(429, '', { 'retry-after': '0' })),
      retry(status(429), 125, 0, NOW),
    ],
    [
      'a Retry-After date already past means no extra wait',
      facts(answer(429, '', { 'retry-after': new Date(NOW - 60_000).toUTCString() })),
      retry(status(429), 125, 0, NOW),
    ],
    [
      'an unreadable Retry-After is ignored',
      facts(answer(429, '', { 'retry-after': 'soon' })),
      retry(status(429), 125),
    ],
    [
      'a 429 with only an epoch X-RateLimit-Reset backs off and leaves the window to the rate limiter',
      facts(answer(429, '', { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': epochSeconds(NOW + 30_000) })),
      retry(status(429), 125),
    ],
    [
      'a 429 with only a seconds-until-reset X-RateLimit-Reset backs off and leaves the window to the rate limiter',
      facts(answer(429, '', { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '30' })),
      retry(status(429), 125),
    ],
    [
      'a 429 with both headers waits Retry-After, not the reset',
      facts(answer(429, '', { 'retry-after': '2', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '30' })),
      retry(status(429), 2000, 2000, NOW + 2000),
    ],
    [
      'a 429 on the last attempt is RateLimitedError pointing at other users of the key',
      facts(answer(429, '', { 'retry-after': '1' }), 3),
      {
        kind: 'fatal',
        error: 'RateLimitedError',
        message:
          'DialNexa kept answering 429 Too Many Requests for page 2; gave up after 3 attempts. ' +
          'The rate limit is per API key: another client may be using the same key. Run again later.',
      },
    ],
    [
      "a 503 is retried, keeping the server's message",
      facts(answer(503, error('Service unavailable'), JSON_TYPE)),
      retry(status(503, 'Service unavailable'), 125),
    ],
    [
      'Retry-After on a 5xx lengthens the wait of this request only',
      facts(answer(500, '', { 'retry-after': '3' })),
      retry(status(500), 3000, 3000, null),
    ],
    [
      'an HTML 502 from a proxy is retried, not parsed',
      facts(answer(502, HTML_502, { 'content-type': 'text/html' })),
      retry(status(502, null, true), 125),
    ],
    [
      'an HTML 502 on the last attempt says it came from a proxy',
      facts(answer(502, HTML_502, { 'content-type': 'text/html' }), 3),
      {
        kind: 'fatal',
        error: 'ApiError',
        status: 502,
        message:
          'DialNexa answered 502 Bad Gateway for page 2 on all 3 attempts (an HTML error page, likely from a proxy). ' +
          'The service may be down; run again later.',
      },
    ],
    [
      "a 500 on the last attempt quotes the server's message",
      facts(answer(500, error('Internal server error'), JSON_TYPE), 3),
      {
        kind: 'fatal',
        error: 'ApiError',
        status: 500,
        message:
          'DialNexa answered 500 Internal Server Error for page 2 on all 3 attempts: Internal server error. ' +
          'The service may be down; run again later.',
      },
    ],
    [
      'a timeout is retried',
      facts({ ok: false, kind: 'timeout', detail: 'no complete answer within 10000 ms' }),
      retry({ kind: 'timeout', detail: 'no complete answer within 10000 ms' }, 125),
    ],
    [
      'a timeout on the last attempt names the time limit',
      facts({ ok: false, kind: 'timeout', detail: 'no complete answer within 10000 ms' }, 3),
      {
        kind: 'fatal',
        error: 'ApiError',
        message:
          'DialNexa did not answer page 2 within 10000 ms on all 3 attempts. The service may be overloaded; run again later.',
      },
    ],
    [
      'a network error is retried',
      facts({ ok: false, kind: 'network', detail: 'connect 192.0.2.1:443 (ECONNREFUSED)' }, 2),
      retry({ kind: 'network', detail: 'connect 192.0.2.1:443 (ECONNREFUSED)' }, 250),
    ],
    [
      'a network error on the last attempt names the origin it could not reach',
      facts({ ok: false, kind: 'network', detail: 'connect 192.0.2.1:443 (ECONNREFUSED)' }, 3),
      {
        kind: 'fatal',
        error: 'ApiError',
        message:
          'could not reach DialNexa at https://api.dialnexa.test for page 2 (3 attempts): connect 192.0.2.1:443 (ECONNREFUSED)',
      },
    ],
    [
      'a body over the size limit is retried as malformed, honouring its Retry-After',
      facts({
        ok: false,
        kind: 'too-large',
        status: 200,
        headers: new Headers({ 'retry-after': '1' }),
        detail: 'the body ran past the 100-byte limit',
      }),
      retry({ kind: 'malformed', detail: '200 OK answer: the body ran past the 100-byte limit' }, 1000, 1000, null),
    ],
    ['a 401 first asks for a fresh read of the key', facts(answer(401, error('Unauthorized'))), { kind: 'reread-key' }],
    [
      'a 401 whose fresh read found another key is asked again at once, even on the last attempt',
      facts(answer(401, error('Unauthorized')), 3, { keyChanged: true }),
      { kind: 'rekey' },
    ],
    [
      'a 401 whose fresh read gave the same key is AuthError saying where to store a new key',
      facts(answer(401, error('Unauthorized')), 1, { keyChanged: false }),
      {
        kind: 'fatal',
        error: 'AuthError',
        message:
          'DialNexa rejected the API key from secret "test/dialnexa" (401): the key is invalid or revoked. ' +
          'Create a new key in the DialNexa dashboard and store it in secret "test/dialnexa".',
      },
    ],
    [
      'a 403 is PermissionError naming the missing scope, the key scrubbed from what the server said',
      facts(answer(403, error(`key ${KEY} cannot read phone numbers`), JSON_TYPE)),
      {
        kind: 'fatal',
        error: 'PermissionError',
        message:
          'DialNexa refused the key from secret "test/dialnexa": the key cannot read phone numbers (403): ' +
          'give it the phone_numbers:read scope in the DialNexa dashboard, or use a key that has it ' +
          '(DialNexa said: key [redacted] cannot read phone numbers).',
      },
    ],
    [
      'a 403 without a message says nothing about what the server said',
      facts(answer(403, '')),
      {
        kind: 'fatal',
        error: 'PermissionError',
        message:
          'DialNexa refused the key from secret "test/dialnexa": the key cannot read phone numbers (403): ' +
          'give it the phone_numbers:read scope in the DialNexa dashboard, or use a key that has it.',
      },
    ],
    [
      "another 4xx fails at once with the server's message",
      facts(answer(400, error('limit must not be greater than 100'), JSON_TYPE)),
      {
        kind: 'fatal',
        error: 'ApiError',
        status: 400,
        message: 'DialNexa refused the request for page 2 (400 Bad Request): limit must not be greater than 100.',
      },
    ],
    [
      'a 404 hints at the base URL',
      facts(answer(404, '')),
      {
        kind: 'fatal',
        error: 'ApiError',
        status: 404,
        message:
          'DialNexa refused the request for page 2 (404 Not Found): no error message given. ' +
          'Check the DialNexa base URL (https://api.dialnexa.test/).',
      },
    ],
  ])('%s', (_name, given, expected) => {
    expect(plain(classify(given, rules))).toEqual(expected);
  });

  it('lets an unexpected error from the parser through: it is a bug, not a bad answer', () => {
    const broken = {
      ...rules,
      parse: () => {
        throw new TypeError('bug');
      },
    };
    expect(() => classify(facts(answer(200, PAGE)), broken)).toThrow(TypeError);
  });

  it('draws the jitter from the injected random, once per retry', () => {
    const draws: number[] = [];
    const random = () => {
      draws.push(draws.length);
      return 0.1;
    };
    const verdict = classify(facts(answer(503, ''), 3), {
      ...rules,
      maxAttempts: 6,
      backoff: { ...rules.backoff, random },
    });
    expect(verdict).toMatchObject({ kind: 'retry', delayMs: 100 });
    expect(draws).toHaveLength(1);
    expect(
      classify(facts(answer(503, ''), 6), { ...rules, maxAttempts: 6, backoff: { ...rules.backoff, random } }).kind,
    ).toBe('fatal');
    expect(draws).toHaveLength(1);
  });
});

describe('the fresh key read after a 401', () => {
  it('is made once: a second 401, with the rotated key, gets no third key', async () => {
    const source = keySource('dnx_live_old_0001', 'dnx_live_new_0002');
    const keys = new KeyHolder(source);
    expect(await keys.get()).toBe('dnx_live_old_0001');
    expect(await keys.afterUnauthorized('dnx_live_old_0001')).toBe('dnx_live_new_0002');
    expect(await keys.get()).toBe('dnx_live_new_0002');
    expect(await keys.afterUnauthorized('dnx_live_new_0002')).toBeNull();
    expect(source.reads).toEqual([{ fresh: false }, { fresh: true }]);
  });

  it('gives nothing to retry with when the fresh read returns the refused key', async () => {
    const source = keySource('dnx_live_revoked_0001');
    const keys = new KeyHolder(source);
    await keys.get();
    expect(await keys.afterUnauthorized('dnx_live_revoked_0001')).toBeNull();
    expect(source.reads).toEqual([{ fresh: false }, { fresh: true }]);
  });
});
