import { DEFAULT_EPOCH_RESET_MARGIN_MS, RateLimiter } from '../../../lambda/adapters/dialnexa';
import { fakeClock } from './fixtures';

function headers(limit: number, remaining: number, reset: string): Headers {
  return new Headers({
    'X-RateLimit-Limit': String(limit),
    'X-RateLimit-Remaining': String(remaining),
    'X-RateLimit-Reset': reset,
  });
}

/** Margin 0 unless said: the mechanics below are exact to the announced reset. */
function setup(resetMarginMs: number | 'default' = 0) {
  const clock = fakeClock();
  const limiter = new RateLimiter({ now: clock.now, ...(resetMarginMs === 'default' ? {} : { resetMarginMs }) });
  const ctx = { signal: new AbortController().signal, sleep: clock.sleep };
  return { clock, limiter, ctx };
}

describe('RateLimiter', () => {
  it('holds nothing until the server announces a limit', async () => {
    const { clock, limiter, ctx } = setup();
    for (let i = 0; i < 50; i++) await limiter.acquire(ctx);
    expect(limiter.pending).toBe(50);
    expect(clock.sleeps).toEqual([]);
  });

  it('counts in-flight requests against what is left and waits for the reset when none is', async () => {
    const { clock, limiter, ctx } = setup();
    await limiter.acquire(ctx);
    limiter.release(headers(5, 3, '2')); // 3 left, window ends in 2 s
    await limiter.acquire(ctx);
    await limiter.acquire(ctx);
    await limiter.acquire(ctx); // 3 in flight: the window is spent
    expect(clock.sleeps).toEqual([]);
    await limiter.acquire(ctx);
    expect(clock.sleeps).toEqual([2000]);
    expect(limiter.pending).toBe(4);
  });

  it('keeps the lowest count when answers of one window arrive out of order', async () => {
    const { clock, limiter, ctx } = setup();
    await limiter.acquire(ctx);
    limiter.release(headers(10, 1, '60'));
    clock.state.t += 10;
    await limiter.acquire(ctx);
    limiter.release(headers(10, 4, '60')); // an older answer, overtaken on the way
    await limiter.acquire(ctx); // the 1 left
    expect(clock.sleeps).toEqual([]);
    await limiter.acquire(ctx);
    expect(clock.sleeps).toHaveLength(1);
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(59_990);
  });

  it('reads an epoch-seconds reset as an instant', async () => {
    const { clock, limiter, ctx } = setup();
    await limiter.acquire(ctx);
    limiter.release(headers(5, 0, String((clock.now() + 7000) / 1000)));
    await limiter.acquire(ctx);
    expect(clock.sleeps).toEqual([7000]);
  });

  it('after the window allows at most the announced limit minus what is in flight', async () => {
    const { clock, limiter, ctx } = setup();
    await limiter.acquire(ctx);
    limiter.release(headers(3, 0, '1'));
    await limiter.acquire(ctx); // waits for the reset
    await limiter.acquire(ctx);
    await limiter.acquire(ctx);
    expect(clock.sleeps).toEqual([1000]);
    let fourth = false;
    const waiting = limiter.acquire(ctx).then(() => {
      fourth = true;
    });
    await new Promise((r) => setImmediate(r));
    expect(fourth).toBe(false); // 3 in flight in a window of 3
    limiter.release(headers(3, 2, '1'));
    await waiting;
    expect(fourth).toBe(true);
  });

  it('by default waits a second past an epoch reset (whole seconds, maybe rounded down, on another clock)', async () => {
    const { clock, limiter, ctx } = setup('default');
    await limiter.acquire(ctx);
    limiter.release(headers(5, 0, String((clock.now() + 7000) / 1000)));
    await limiter.acquire(ctx);
    expect(clock.sleeps).toEqual([7000 + DEFAULT_EPOCH_RESET_MARGIN_MS]);
    expect(DEFAULT_EPOCH_RESET_MARGIN_MS).toBe(1000);
  });

  it('by default adds nothing to a seconds-until-reset count (measured from the answer, no other clock)', async () => {
    const { clock, limiter, ctx } = setup('default');
    await limiter.acquire(ctx);
    limiter.release(headers(5, 0, '7'));
    await limiter.acquire(ctx);
    expect(clock.sleeps).toEqual([7000]);
  });

  it('applies an explicit margin to either form', async () => {
    const { clock, limiter, ctx } = setup(300);
    await limiter.acquire(ctx);
    limiter.release(headers(1, 0, '7'));
    await limiter.acquire(ctx);
    limiter.release(headers(1, 0, String((clock.now() + 5000) / 1000)));
    await limiter.acquire(ctx);
    expect(clock.sleeps).toEqual([7300, 5300]);
  });

  it('treats the margin as part of the old window: what is left still counts until it ends', async () => {
    const { clock, limiter, ctx } = setup('default');
    await limiter.acquire(ctx);
    limiter.release(headers(3, 0, String((clock.now() + 2000) / 1000))); // none left, the window ends in 2 s
    clock.state.t += 2500; // past the reset, inside the margin
    await limiter.acquire(ctx);
    expect(clock.sleeps).toEqual([500]);
    await limiter.acquire(ctx);
    await limiter.acquire(ctx);
    expect(clock.sleeps).toEqual([500]); // the new window's 3 slots
    expect(limiter.pending).toBe(3);
  });

  it('holds everyone after a pause (a 429 with Retry-After)', async () => {
    const { clock, limiter, ctx } = setup();
    limiter.pause(clock.now() + 1500);
    await limiter.acquire(ctx);
    expect(clock.sleeps).toEqual([1500]);
  });

  it('stops waiting when the signal aborts', async () => {
    const { clock, limiter } = setup();
    const controller = new AbortController();
    const ctx = { signal: controller.signal, sleep: clock.sleep };
    await limiter.acquire(ctx);
    limiter.release(headers(1, 0, '1'));
    clock.state.t += 1000;
    await limiter.acquire(ctx); // the new window's only slot
    const blocked = limiter.acquire(ctx);
    controller.abort(new Error('stopped'));
    await expect(blocked).rejects.toThrow('stopped');
  });
});
