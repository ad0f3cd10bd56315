// Failures the client must survive or report clearly: 429/5xx/HTML/malformed/hangs, the run's
// deadline, 401/403/4xx, and the API key never showing in a message or a log line.
import { createDialNexaClient } from '../../../lambda/adapters/dialnexa';
import {
  ApiError,
  AuthError,
  DeadlineExceededError,
  PermissionError,
  RateLimitedError,
} from '../../../lambda/core/errors';
import type { SimulatorOptions } from '../../../simulator/types';
import { clientFor, keySource, listPages, numbers, recordingLogger, START, simulatorPerTest } from './fixtures';

const startSim = simulatorPerTest();
const start = (options: SimulatorOptions = {}) => startSim({ numbers: numbers(150), ...options });

/** Timers created through the global setTimeout while `fn` runs that neither fired nor were cleared. */
async function pendingTimersAfter(fn: () => Promise<unknown>): Promise<number> {
  const pending = new Set<unknown>();
  const realSet = global.setTimeout;
  const realClear = global.clearTimeout;
  const setSpy = jest.spyOn(global, 'setTimeout').mockImplementation(((cb: () => void, ms?: number) => {
    const t = realSet(() => {
      pending.delete(t);
      cb();
    }, ms);
    pending.add(t);
    return t;
  }) as typeof setTimeout);
  const clearSpy = jest.spyOn(global, 'clearTimeout').mockImplementation((t) => {
    pending.delete(t);
    realClear(t);
  });
  try {
    await fn();
  } finally {
    setSpy.mockRestore();
    clearSpy.mockRestore();
  }
  return pending.size;
}

describe('retries', () => {
  it('waits exactly Retry-After seconds after a 429', async () => {
    const s = await start();
    s.enqueueFault({ kind: 'status', status: 429, retryAfter: '7' }, { page: 1 });
    const { client, clock } = clientFor(s, { random: () => 0 });
    const listing = await client.listAll();
    expect(clock.sleeps).toEqual([7000]);
    expect(listing.complete).toBe(true);
    expect(listing.stats).toMatchObject({ rateLimited: 1, retries: 1, requests: 3, pages: 2 });
  });

  it('waits until an HTTP-date Retry-After, measured on the injected clock', async () => {
    const s = await start();
    s.enqueueFault({ kind: 'status', status: 429, retryAfter: new Date(START + 12_000).toUTCString() }, { page: 2 });
    const { client, clock } = clientFor(s, { random: () => 0 });
    await client.listAll();
    expect(clock.sleeps).toEqual([12_000]);
  });

  it('treats Retry-After as a minimum: a longer backoff wins', async () => {
    const s = await start();
    s.enqueueFault({ kind: 'status', status: 429, retryAfter: '0' }, { page: 1 });
    const { client, clock } = clientFor(s);
    await client.listAll();
    expect(clock.sleeps).toEqual([250]);
  });

  it('gives up on repeated 429s with RateLimitedError', async () => {
    const s = await start();
    for (let i = 0; i < 3; i++) s.enqueueFault({ kind: 'status', status: 429, retryAfter: '1' }, { page: 1 });
    const { client, clock } = clientFor(s, { maxAttempts: 3 });
    const err = await client.listAll().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    expect((err as Error).message).toMatch(
      /^DialNexa kept answering 429 Too Many Requests for page 1; gave up after 3 attempts/,
    );
    expect(clock.sleeps).toEqual([1000, 1000]);
  });

  it('recovers from 503, 503, 200 with capped exponential backoff', async () => {
    const s = await start({ numbers: numbers(50) });
    s.enqueueFault({ kind: 'status', status: 503 });
    s.enqueueFault({ kind: 'status', status: 503 });
    const logger = recordingLogger();
    const { client, clock } = clientFor(s, { logger });
    const listing = await client.listAll();
    expect(listing.records).toHaveLength(50);
    expect(clock.sleeps).toEqual([250, 500]);
    expect(listing.stats).toMatchObject({ requests: 3, retries: 2, rateLimited: 0, pages: 1 });
    const retries = logger.lines.filter((l) => l.level === 'info');
    expect(retries.map((l) => l.extra)).toEqual([
      { what: 'page 1', status: 503, attempt: 1, maxAttempts: 6, delayMs: 250 },
      { what: 'page 1', status: 503, attempt: 2, maxAttempts: 6, delayMs: 500 },
    ]);
  });

  it('gives up on a persistent 500 after maxAttempts with the status and count in the message', async () => {
    const s = await start();
    for (let i = 0; i < 6; i++) s.enqueueFault({ kind: 'status', status: 500 }, { page: 1 });
    const { client, clock } = clientFor(s, { maxDelayMs: 3000 });
    const err = await client.listAll().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 500 });
    expect((err as Error).message).toBe(
      'DialNexa answered 500 Internal Server Error for page 1 on all 6 attempts: Internal server error. The service may be down; run again later.',
    );
    expect(clock.sleeps).toEqual([250, 500, 1000, 2000, 3000]);
    expect(listPages(s.requests)).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('retries a 502 with an HTML body instead of failing on its JSON', async () => {
    const s = await start();
    s.enqueueFault({ kind: 'html-502' }, { page: 2 });
    const listing = await clientFor(s).client.listAll();
    expect(listing.complete).toBe(true);
    expect(listing.records).toHaveLength(150);
    expect(s.requests.filter((r) => r.status === 502)).toHaveLength(1);
  });

  it('says an HTML 502 came from a proxy when it never clears', async () => {
    const s = await start();
    s.enqueueFault({ kind: 'html-502' });
    s.enqueueFault({ kind: 'html-502' });
    const err = await clientFor(s, { maxAttempts: 2 })
      .client.listAll()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as Error).message).toContain(
      '502 Bad Gateway for page 1 on all 2 attempts (an HTML error page, likely from a proxy)',
    );
  });

  it('retries a truncated JSON page, then succeeds', async () => {
    const s = await start();
    s.enqueueFault({ kind: 'malformed-json' }, { page: 2 });
    const listing = await clientFor(s).client.listAll();
    expect(listing.records).toHaveLength(150);
    expect(listing.stats.retries).toBe(1);
  });

  it('reports a page that stays malformed as an ApiError naming the page', async () => {
    const s = await start();
    for (let i = 0; i < 3; i++) s.enqueueFault({ kind: 'malformed-json' }, { page: 2 });
    const err = await clientFor(s, { maxAttempts: 3 })
      .client.listAll()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as Error).message).toMatch(
      /^DialNexa returned a malformed page 2 on all 3 attempts: the body is not valid JSON/,
    );
  });

  it('ends a request that never answers by its timeout and retries it', async () => {
    const s = await start();
    s.enqueueFault({ kind: 'hang' }, { page: 1 });
    const logger = recordingLogger();
    const listing = await clientFor(s, { requestTimeoutMs: 200, logger }).client.listAll();
    expect(listing.records).toHaveLength(150);
    expect(s.requests[0]).toMatchObject({ fault: 'hang', status: 0 });
    // The hang ended as a timeout (not a dropped connection), and page 1 was asked again.
    expect(logger.lines.filter((l) => l.level === 'info').map((l) => l.extra)).toEqual([
      { what: 'page 1', error: 'timeout', attempt: 1, maxAttempts: 6, delayMs: 250 },
    ]);
    expect(listPages(s.requests)).toEqual([1, 1, 2]);
  });

  it('ends a body that stalls halfway by the same timeout', async () => {
    const s = await start();
    s.enqueueFault({ kind: 'slow-body', delayMs: 5000 }, { page: 1 });
    const logger = recordingLogger();
    const listing = await clientFor(s, { requestTimeoutMs: 200, logger }).client.listAll();
    expect(listing.records).toHaveLength(150);
    expect(listing.stats.retries).toBe(1);
    expect(logger.lines.filter((l) => l.level === 'info').map((l) => l.extra)).toEqual([
      { what: 'page 1', error: 'timeout', attempt: 1, maxAttempts: 6, delayMs: 250 },
    ]);
    // Headers came at once; only the body stalled, and it was never finished.
    expect(s.requests[0]).toMatchObject({ fault: 'slow-body', status: 200, finishedAt: 0 });
    expect(listPages(s.requests)).toEqual([1, 1, 2]);
  });

  describe('a body over maxBodyBytes', () => {
    it('is not read when Content-Length says so: retried as malformed, then the listing goes on', async () => {
      const s = await start();
      s.enqueueFault({ kind: 'huge-body', bytes: 200_000 }, { page: 2 });
      const logger = recordingLogger();
      const listing = await clientFor(s, { maxBodyBytes: 100_000, logger }).client.listAll();
      expect(listing.complete).toBe(true);
      expect(listing.records).toHaveLength(150);
      expect(listing.stats).toMatchObject({ retries: 1, requests: 3 });
      expect(logger.lines.filter((l) => l.level === 'info').map((l) => l.extra)).toEqual([
        { what: 'page 2', error: 'malformed', attempt: 1, maxAttempts: 6, delayMs: 250 },
      ]);
      expect(s.requests.map((r) => r.fault)).toEqual([undefined, 'huge-body', undefined]);
    });

    it('is cut off while streaming when no Content-Length is sent', async () => {
      const s = await start();
      s.enqueueFault({ kind: 'huge-body', bytes: 200_000, contentLength: false }, { page: 1 });
      const logger = recordingLogger();
      const listing = await clientFor(s, { maxBodyBytes: 100_000, logger }).client.listAll();
      expect(listing.records).toHaveLength(150);
      expect(listing.stats.retries).toBe(1);
      expect(logger.lines.filter((l) => l.level === 'info').map((l) => l.extra)).toEqual([
        { what: 'page 1', error: 'malformed', attempt: 1, maxAttempts: 6, delayMs: 250 },
      ]);
    });

    it('is accepted up to the limit', async () => {
      const s = await start();
      s.enqueueFault({ kind: 'huge-body', bytes: 100_000, contentLength: false }, { page: 1 });
      const listing = await clientFor(s, { maxBodyBytes: 100_000 }).client.listAll();
      expect(listing.records).toHaveLength(150);
      expect(listing.stats.retries).toBe(0);
    });

    it.each([
      [
        'declared',
        true,
        /^DialNexa returned a malformed page 1 on all 2 attempts: 200 OK answer: the body is 9437184 bytes \(Content-Length\), over the 8388608-byte limit$/,
      ],
      [
        'streamed',
        false,
        /^DialNexa returned a malformed page 1 on all 2 attempts: 200 OK answer: the body ran past the 8388608-byte limit$/,
      ],
    ])(
      'that stays oversized (%s) ends in ApiError at the default 8 MB limit',
      async (_label, contentLength, message) => {
        const s = await start();
        for (let i = 0; i < 2; i++)
          s.enqueueFault({ kind: 'huge-body', bytes: 9 * 1024 * 1024, contentLength }, { page: 1 });
        const err = await clientFor(s, { maxAttempts: 2 })
          .client.listAll()
          .catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ApiError);
        expect(err).toMatchObject({ status: 200 });
        expect((err as Error).message).toMatch(message);
        expect(s.requests.map((r) => r.fault)).toEqual(['huge-body', 'huge-body']);
      },
    );

    it('rejects a maxBodyBytes that is not a positive number', () => {
      expect(() =>
        createDialNexaClient({ baseUrl: 'http://127.0.0.1:1', keySource: keySource('k'), maxBodyBytes: 0 }),
      ).toThrow('maxBodyBytes must be a positive number, got 0');
    });
  });

  it('reports a server that never answers', async () => {
    const s = await start();
    s.enqueueFault({ kind: 'hang' });
    s.enqueueFault({ kind: 'hang' });
    const err = await clientFor(s, { requestTimeoutMs: 100, maxAttempts: 2 })
      .client.listAll()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as Error).message).toMatch(/^DialNexa did not answer page 1 within 100 ms on all 2 attempts/);
  });

  it('reports an unreachable server', async () => {
    const s = await start();
    const url = s.url;
    await s.close();
    const err = await clientFor(s, { baseUrl: url, maxAttempts: 2 })
      .client.listAll()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as Error).message).toMatch(
      /^could not reach DialNexa at http:\/\/127\.0\.0\.1:\d+ for page 1 \(2 attempts\): connect 127\.0\.0\.1:\d+ \(ECONNREFUSED\)$/,
    );
  });

  it('stops the other pages as soon as one fails for good', async () => {
    const s = await start({ numbers: numbers(2000), latencyMs: 20 });
    s.enqueueFault({ kind: 'status', status: 500 }, { page: 3 });
    s.enqueueFault({ kind: 'status', status: 500 }, { page: 3 });
    let fetches = 0;
    const counting: typeof fetch = (input, init) => {
      fetches += 1;
      return fetch(input, init);
    };
    const err = await clientFor(s, { maxAttempts: 2, concurrency: 2, fetch: counting })
      .client.listAll()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    const sent = fetches;
    await new Promise((r) => setTimeout(r, 100));
    expect(fetches).toBe(sent);
    expect(sent).toBeLessThan(10);
  });
});

describe('deadline', () => {
  it('aborts hanging requests when the deadline passes and leaves no timer behind', async () => {
    const s = await start({ numbers: numbers(300) });
    s.enqueueFault({ kind: 'hang' }, { page: 2 });
    s.enqueueFault({ kind: 'hang' }, { page: 3 });
    const logger = recordingLogger();
    const client = createDialNexaClient({
      baseUrl: s.url,
      keySource: keySource(s.apiKey),
      requestTimeoutMs: 10_000,
      logger,
    });
    let err: unknown;
    const leftOver = await pendingTimersAfter(async () => {
      err = await client.listAll({ deadline: Date.now() + 300 }).catch((e: unknown) => e);
    });
    expect(leftOver).toBe(0);
    expect(err).toBeInstanceOf(DeadlineExceededError);
    expect((err as Error).message).toMatch(
      /^listing did not finish before the run's deadline: 1 of 3 pages fetched\. Deadline \(20\d\d-/,
    );
    // The deadline, not the 10 s request timeout, ended the hanging pages: nothing was retried.
    expect(listPages(s.requests).sort()).toEqual([1, 2, 3]);
    expect(s.requests.slice(1)).toEqual([
      expect.objectContaining({ fault: 'hang', status: 0 }),
      expect.objectContaining({ fault: 'hang', status: 0 }),
    ]);
    expect(logger.lines.filter((l) => l.level === 'info')).toEqual([]);
  });

  it('never starts a retry wait that would end past the deadline', async () => {
    const s = await start();
    s.enqueueFault({ kind: 'status', status: 429, retryAfter: '120' }, { page: 1 });
    const { client, clock } = clientFor(s);
    const err = await client.listAll({ deadline: START + 60_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeadlineExceededError);
    expect((err as Error).message).toContain(
      "listing did not finish before the run's deadline: 0 of an unknown number of pages fetched; " +
        'the retry of page 1 after 429 Too Many Requests of 120000 ms would end past it',
    );
    expect(clock.sleeps).toEqual([]);
    expect(s.requests).toHaveLength(1);
  });

  it('sends nothing when the deadline has already passed', async () => {
    const s = await start();
    const err = await clientFor(s)
      .client.listAll({ deadline: START - 1 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeadlineExceededError);
    expect(s.requests).toHaveLength(0);
  });
});

describe('authentication and permission', () => {
  it('re-reads the key once on a 401 and, the key being unchanged, fails with AuthError at once', async () => {
    const s = await start();
    const keys = keySource('dnx_live_revoked_0001', 'dnx_live_revoked_0001');
    const { client, clock } = clientFor(s, { keySource: keys });
    const err = await client.listAll().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect((err as Error).message).toBe(
      'DialNexa rejected the API key from secret "test/dialnexa" (401): the key is invalid or revoked. ' +
        'Create a new key in the DialNexa dashboard and store it in secret "test/dialnexa".',
    );
    expect(keys.reads).toEqual([{ fresh: false }, { fresh: true }]);
    expect(clock.sleeps).toEqual([]);
    // Asking again with the key just refused would only be refused again.
    expect(s.requests.map((r) => r.authorized)).toEqual([false]);
  });

  it('carries on with a rotated key found by the fresh read', async () => {
    const s = await start();
    const keys = keySource('dnx_live_old_0001', s.apiKey);
    const listing = await clientFor(s, { keySource: keys }).client.listAll();
    expect(listing.records).toHaveLength(150);
    expect(keys.reads).toEqual([{ fresh: false }, { fresh: true }]);
    expect(s.requests.map((r) => r.authorized)).toEqual([false, true, true]);
  });

  it('survives a 401 mid-listing (a key rotated while listing) with one fresh read', async () => {
    const s = await start({
      numbers: numbers(500),
      keys: { dnx_live_before_0001: 'full', dnx_live_after_0002: 'full' },
    });
    s.enqueueFault({ kind: 'status', status: 401 }, { page: 4 });
    const keys = keySource('dnx_live_before_0001', 'dnx_live_after_0002');
    const { client, clock } = clientFor(s, { keySource: keys, concurrency: 1 });
    const listing = await client.listAll();
    expect(listing.complete).toBe(true);
    expect(keys.reads).toEqual([{ fresh: false }, { fresh: true }]);
    expect(clock.sleeps).toEqual([]);
    expect(listPages(s.requests)).toEqual([1, 2, 3, 4, 4, 5]);
    expect(listing.stats).toMatchObject({ retries: 1, requests: 6 });
  });

  it('fails a 401 mid-listing at once when the fresh read gives the same key', async () => {
    const s = await start({ numbers: numbers(500) });
    s.enqueueFault({ kind: 'status', status: 401 }, { page: 4 });
    const { client, clock, keys } = clientFor(s, { concurrency: 1 });
    await expect(client.listAll()).rejects.toThrow(AuthError);
    expect(keys.reads).toEqual([{ fresh: false }, { fresh: true }]);
    expect(clock.sleeps).toEqual([]);
    expect(listPages(s.requests)).toEqual([1, 2, 3, 4]);
  });

  it('turns a 403 into PermissionError naming the missing scope, without retrying', async () => {
    const s = await start({ keys: { dnx_test_limited: 'no-phone-numbers' } });
    const err = await clientFor(s)
      .client.listAll()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermissionError);
    expect((err as Error).message).toBe(
      'DialNexa refused the key from secret "test/dialnexa": the key cannot read phone numbers (403): ' +
        'give it the phone_numbers:read scope in the DialNexa dashboard, or use a key that has it ' +
        '(DialNexa said: This API key cannot read phone numbers).',
    );
    expect(s.requests).toHaveLength(1);
  });

  it("fails other 4xx at once with the server's message", async () => {
    const s = await start();
    s.enqueueFault({ kind: 'status', status: 400, message: 'limit must not be greater than 100' });
    const err = await clientFor(s)
      .client.listAll()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 400 });
    expect((err as Error).message).toBe(
      'DialNexa refused the request for page 1 (400 Bad Request): limit must not be greater than 100.',
    );
    expect(s.requests).toHaveLength(1);
  });

  it('hints at the base URL on a 404', async () => {
    const s = await start();
    const err = await clientFor(s, { baseUrl: `${s.url}/api/` })
      .client.listAll()
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 404 });
    expect((err as Error).message).toBe(
      `DialNexa refused the request for page 1 (404 Not Found): Cannot GET /api/v1/organization-phone-numbers. Check the DialNexa base URL (${s.url}/api/).`,
    );
  });
});

describe('the API key', () => {
  const KEY = 'dnx_live_Zq9SECRETk3y_0042';
  const ROTATED = 'dnx_live_Rt7SECRETn3w_0043';

  it('never appears in an error message or a log line', async () => {
    const s = await start({ keys: { [KEY]: 'full', [ROTATED]: 'full' }, numbers: numbers(300) });
    s.enqueueFault({ kind: 'status', status: 503 }, { page: 1 });
    s.enqueueFault({ kind: 'status', status: 429, retryAfter: '1' }, { page: 2 });
    s.enqueueFault({ kind: 'status', status: 401 }, { page: 3 });
    s.enqueueFault({ kind: 'html-502' }, { page: 3 });
    const logger = recordingLogger();
    const { client } = clientFor(s, { keySource: keySource(KEY, ROTATED), logger });
    await client.listAll();
    expect(logger.lines.length).toBeGreaterThan(5);

    // A server that echoes the key back in its error message.
    s.enqueueFault({ kind: 'status', status: 400, message: `bad request for key ${KEY}` });
    const echoed = await client.listAll().catch((e: unknown) => e);
    expect((echoed as Error).message).toContain('bad request for key [redacted]');

    const wrong = await clientFor(s, { keySource: keySource(`${KEY}x`), logger })
      .client.listAll()
      .catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(AuthError);

    for (const text of [
      logger.text(),
      (echoed as Error).message,
      (wrong as Error).message,
      String((wrong as Error).stack),
    ]) {
      expect(text).not.toContain(KEY);
      expect(text).not.toContain(ROTATED);
    }
  });
});
