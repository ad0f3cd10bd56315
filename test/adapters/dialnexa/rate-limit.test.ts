// The shared limiter against the simulator's fixed-window limit: concurrent workers must stay
// inside the announced window (zero 429s), on a clock the simulator and the client share, so
// windows of any length run instantly and exactly.
import { createDialNexaClient, type DialNexaClientOptions } from '../../../lambda/adapters/dialnexa';
import type { RecordedRequest, Simulator } from '../../../simulator/types';
import { fakeClock, keySource, numbers, START, simulatorPerTest } from './fixtures';

const start = simulatorPerTest();

/** The most requests that arrived within any `windowMs` span. */
function busiestWindow(requests: RecordedRequest[], windowMs: number): number {
  return Math.max(
    ...requests.map(
      (r) => requests.filter((o) => o.receivedAt >= r.receivedAt && o.receivedAt < r.receivedAt + windowMs).length,
    ),
  );
}

/** A client on the simulator's clock, 8 workers unless `extra` says otherwise. */
function clientOn(s: Simulator, clock: ReturnType<typeof fakeClock>, extra: Partial<DialNexaClientOptions> = {}) {
  return createDialNexaClient({
    baseUrl: s.url,
    keySource: keySource(s.apiKey),
    now: clock.now,
    sleep: clock.sleep,
    concurrency: 8,
    ...extra,
  });
}

describe('rate limits', () => {
  it('keeps 8 concurrent workers inside a 5-per-400 ms window with zero 429s', async () => {
    const clock = fakeClock();
    const s = await start({
      numbers: numbers(3000),
      now: clock.now,
      rateLimit: { limit: 5, windowMs: 400, resetStyle: 'seconds' },
    });
    const client = clientOn(s, clock);
    const listing = await client.listAll();
    expect(listing.records).toHaveLength(3000);
    expect(listing.complete).toBe(true);
    expect(s.requests).toHaveLength(30);
    expect(s.requests.filter((r) => r.status === 429)).toHaveLength(0);
    expect(listing.stats.rateLimited).toBe(0);
    expect(busiestWindow(s.requests, 400)).toBeLessThanOrEqual(5);
    // 30 pages at 5 a window: at least 5 waits, each past the announced whole-second reset.
    expect(clock.sleeps.length).toBeGreaterThanOrEqual(5);
  });

  it.each(['epoch', 'seconds'] as const)('obeys a %s-style reset on a clock both sides share', async (resetStyle) => {
    const clock = fakeClock();
    const s = await start({
      numbers: numbers(4000),
      now: clock.now,
      rateLimit: { limit: 7, windowMs: 60_000, resetStyle },
    });
    const client = clientOn(s, clock);
    const listing = await client.listAll();
    expect(listing.records).toHaveLength(4000);
    expect(s.requests.filter((r) => r.status === 429)).toHaveLength(0);
    expect(busiestWindow(s.requests, 60_000)).toBeLessThanOrEqual(7);
    // 40 pages at 7 a minute: at least 5 waits for a new window.
    expect(clock.sleeps.length).toBeGreaterThanOrEqual(5);
  });

  describe('a server that rounds X-RateLimit-Reset down (epoch style, window ends mid-second)', () => {
    // The window opens at .500 s, so its end (also .500) is announced half a second early.
    async function listWith(resetMarginMs?: number) {
      const clock = fakeClock(START + 500);
      const s = await start({
        numbers: numbers(2000),
        now: clock.now,
        rateLimit: { limit: 7, windowMs: 60_000, resetStyle: 'epoch', resetRounding: 'down' },
      });
      const client = clientOn(s, clock, {
        random: () => 0,
        maxAttempts: 10,
        ...(resetMarginMs === undefined ? {} : { resetMarginMs }),
      });
      const listing = await client.listAll();
      return { listing, s, clock };
    }

    it('gets zero 429s with the default reset margin', async () => {
      const { listing, s, clock } = await listWith();
      expect(listing.records).toHaveLength(2000);
      expect(s.requests.filter((r) => r.status === 429)).toHaveLength(0);
      expect(listing.stats.rateLimited).toBe(0);
      expect(busiestWindow(s.requests, 60_000)).toBeLessThanOrEqual(7);
      // 20 pages at 7 a window: two waits, each to half a second past the true window end.
      expect(clock.sleeps.length).toBeGreaterThanOrEqual(2);
    });

    it('without a margin sends into the old window and is answered 429 (what the margin prevents)', async () => {
      const { listing, s } = await listWith(0);
      expect(listing.records).toHaveLength(2000);
      expect(s.requests.filter((r) => r.status === 429).length).toBeGreaterThan(0);
      expect(listing.stats.rateLimited).toBe(s.requests.filter((r) => r.status === 429).length);
    });
  });

  it('still finishes through 429s and Retry-After when the limit is not announced', async () => {
    const clock = fakeClock();
    const s = await start({
      numbers: numbers(1000),
      now: clock.now,
      rateLimit: { limit: 4, windowMs: 10_000, announce: false, retryAfterStyle: 'http-date' },
    });
    const client = clientOn(s, clock, { random: () => 0, concurrency: 4, maxAttempts: 10 });
    const listing = await client.listAll();
    expect(listing.records).toHaveLength(1000);
    expect(listing.stats.rateLimited).toBeGreaterThan(0);
    expect(listing.stats.rateLimited).toBe(s.requests.filter((r) => r.status === 429).length);
  });
});
