// Retry policy: which answers are worth another attempt and how long to wait before it.

export interface BackoffOptions {
  baseDelayMs: number;
  maxDelayMs: number;
  random: () => number;
}

/**
 * Capped exponential backoff with full jitter: `random() * min(max, base * 2^retry)`, where
 * `retry` is 0 before the first retry. Full jitter spreads concurrent workers apart.
 */
export function backoffDelay(retry: number, { baseDelayMs, maxDelayMs, random }: BackoffOptions): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, retry));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(r * ceiling);
}

/**
 * `Retry-After` as a delay in ms from `nowMs`: either delta-seconds or an HTTP date.
 * Returns null when the header is absent or unreadable; a date in the past gives 0.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | null {
  if (value === null || value === undefined) return null;
  const text = value.trim();
  if (text === '') return null;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // Plain numbers are never dates here; only strings that read as a date (with letters) are.
  if (!/[a-z]/i.test(text)) return null;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - nowMs);
}

/** 429 and 5xx may succeed later; every other status is an answer. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599);
}
