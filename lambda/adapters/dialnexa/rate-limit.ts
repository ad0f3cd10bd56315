// One limiter per client (the limit is per API key), shared by every concurrent worker, so that
// together they never send more than the server's X-RateLimit-* headers say is left.
import type { HttpHeaders } from './http';

/** What a limiter wait needs from the caller: an abort signal and a deadline-aware sleep. */
export interface WaitContext {
  readonly signal: AbortSignal;
  sleep(ms: number): Promise<void>;
}

/** Larger X-RateLimit-Reset values can only be Unix timestamps (1e9 s is 2001; no window is 31 years). */
const EPOCH_SECONDS_FLOOR = 1e9;

/**
 * `X-RateLimit-Reset` as an epoch-ms instant. The docs say a Unix timestamp in seconds, servers
 * were seen sending seconds-until-reset; values above ~1e9 can only be timestamps.
 */
export function parseRateLimitReset(value: string | null | undefined, nowMs: number): number | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  const n = Number(value.trim());
  if (!Number.isFinite(n) || n < 0) return null;
  return n > EPOCH_SECONDS_FLOOR ? Math.round(n * 1000) : Math.round(nowMs + n * 1000);
}

function parseCount(value: string | null): number | null {
  if (value === null || !/^\s*\d+\s*$/.test(value)) return null;
  return Number(value);
}

/**
 * Default wait past an epoch-timestamp reset: it is read on our clock, not the server's (skew),
 * and is whole seconds, maybe rounded down. Without it the client sends into the old window.
 * A seconds-until-reset count needs none by default: it is measured from the answer's arrival,
 * so it is already late by the transit time, and no clock but ours is involved.
 */
export const DEFAULT_EPOCH_RESET_MARGIN_MS = 1000;

/** `X-RateLimit-Reset` written as a Unix timestamp rather than seconds from now. */
function isEpochReset(value: string): boolean {
  return Number(value.trim()) > EPOCH_SECONDS_FLOOR;
}

export interface RateLimiterOptions {
  now: () => number;
  /**
   * Extra wait past an announced reset, whatever its form. Default: DEFAULT_EPOCH_RESET_MARGIN_MS
   * after an epoch-timestamp reset, 0 after a seconds-until-reset count.
   */
  resetMarginMs?: number;
}

export class RateLimiter {
  private readonly now: () => number;
  private readonly margin: number | undefined;
  /** False until a response carried rate-limit headers: until then nothing is held. */
  private announced = false;
  private limit: number | null = null;
  private remaining: number | null = null;
  /** When the current window may be taken as over: the announced reset plus the margin. */
  private resetAt: number | null = null;
  /** Same-window tolerance: a whole-second Reset header is only exact to a second. */
  private resetResolutionMs = 0;
  private pausedUntil = 0;
  private inFlight = 0;
  private waiters = new Set<() => void>();

  constructor(options: RateLimiterOptions) {
    this.now = options.now;
    this.margin = options.resetMarginMs;
  }

  /** Requests sent and not yet answered. */
  get pending(): number {
    return this.inFlight;
  }

  /** Waits until one more request fits in the window, then counts it as in flight. */
  async acquire(ctx: WaitContext): Promise<void> {
    for (;;) {
      ctx.signal.throwIfAborted();
      const now = this.now();
      if (this.pausedUntil > now) {
        await ctx.sleep(this.pausedUntil - now);
        continue;
      }
      if (this.slots(now) > 0) {
        this.inFlight += 1;
        return;
      }
      if (this.resetAt !== null && now < this.resetAt) {
        await ctx.sleep(this.resetAt - now);
        continue;
      }
      // The window is over but its size is unknown, or every slot is in flight: the next
      // answer tells more.
      await this.nextRelease(ctx.signal);
    }
  }

  /** Marks one request answered (or failed) and learns from its headers. */
  release(headers?: HttpHeaders | null): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    if (headers) this.observe(headers);
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiters) wake();
  }

  /** Holds every new request until `untilMs` (after a 429 with Retry-After). */
  pause(untilMs: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, untilMs);
  }

  private slots(now: number): number {
    if (!this.announced) return Number.POSITIVE_INFINITY;
    const windowOpen = this.resetAt !== null && now < this.resetAt;
    // In-flight requests may or may not be in the server's count yet: assume they are not.
    if (windowOpen && this.remaining !== null) return this.remaining - this.inFlight;
    if (this.limit !== null) return this.limit - this.inFlight;
    // Nothing known about the new window: probe with one request at a time.
    return this.inFlight === 0 ? 1 : 0;
  }

  private observe(headers: HttpHeaders): void {
    const now = this.now();
    const limit = parseCount(headers.get('x-ratelimit-limit'));
    const remaining = parseCount(headers.get('x-ratelimit-remaining'));
    const rawReset = headers.get('x-ratelimit-reset');
    const announced = parseRateLimitReset(rawReset, now);
    const resetAt =
      announced === null || rawReset === null
        ? null
        : announced + (this.margin ?? (isEpochReset(rawReset) ? DEFAULT_EPOCH_RESET_MARGIN_MS : 0));
    if (limit === null && remaining === null && resetAt === null) return;
    this.announced = true;
    if (limit !== null) this.limit = limit;
    if (remaining === null) return;

    const resolution = rawReset !== null && /^\s*\d+\s*$/.test(rawReset) ? 1000 : 1;
    const windowOver = this.resetAt === null || now >= this.resetAt;
    const laterWindow =
      resetAt !== null &&
      this.resetAt !== null &&
      resetAt > this.resetAt + Math.max(resolution, this.resetResolutionMs);
    if (windowOver || laterWindow || this.remaining === null) {
      this.remaining = remaining;
      this.resetAt = resetAt;
      this.resetResolutionMs = resolution;
      return;
    }
    // Answers can arrive out of order: within one window the lowest count is the true one, and
    // the latest reset estimate is the safe one.
    this.remaining = Math.min(this.remaining, remaining);
    if (resetAt !== null) this.resetAt = Math.max(this.resetAt ?? resetAt, resetAt);
  }

  private nextRelease(signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.waiters.delete(wake);
        reject(signal.reason);
      };
      const wake = () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      this.waiters.add(wake);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
