// Fixed-window rate limiting per API key, written the way DialNexa announces it.
import type { RateLimitOptions } from './types';

export interface RateDecision {
  limited: boolean;
  /** Headers for every answer to this request (empty when announce is false). */
  headers: Record<string, string>;
  /** Only when limited. */
  retryAfter?: string;
}

interface Window {
  start: number;
  count: number;
}

export class FixedWindowLimiter {
  // Keyed by the key string in memory only; never logged or recorded.
  private readonly windows = new Map<string, Window>();

  constructor(private readonly options: RateLimitOptions) {
    if (!(options.limit >= 0) || !(options.windowMs > 0))
      throw new RangeError('rateLimit needs limit >= 0 and windowMs > 0');
  }

  /** Counts the request (rejected ones too) and says whether it is over the limit. */
  hit(key: string, now: number): RateDecision {
    const { limit, windowMs } = this.options;
    let w = this.windows.get(key);
    if (!w || now >= w.start + windowMs) {
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    w.count++;
    const resetAt = w.start + windowMs;
    const limited = w.count > limit;
    const headers: Record<string, string> = {};
    if (this.options.announce !== false) {
      headers['X-RateLimit-Limit'] = String(limit);
      headers['X-RateLimit-Remaining'] = String(Math.max(0, limit - w.count));
      const round = this.options.resetRounding === 'down' ? Math.floor : Math.ceil;
      headers['X-RateLimit-Reset'] =
        this.options.resetStyle === 'epoch' ? String(round(resetAt / 1000)) : String(round((resetAt - now) / 1000));
    }
    if (!limited) return { limited, headers };
    const retryAfter =
      this.options.retryAfterStyle === 'http-date'
        ? new Date(Math.ceil(resetAt / 1000) * 1000).toUTCString()
        : String(Math.max(1, Math.ceil((resetAt - now) / 1000)));
    return { limited, headers, retryAfter };
  }

  reset(): void {
    this.windows.clear();
  }
}
