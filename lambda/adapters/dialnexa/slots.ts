// Places for a listing's requests in flight. A place is held from sending a request to the end of
// its answer, not while the answer is parsed and validated: the next page's request goes out as
// soon as an answer is in, and a page's JSON work overlaps the wait for the next one (at 8 pages a
// round, queuing 8 pages of parsing ahead of the 8th request cost every round ~1-2 ms).

/** What a request waiting for a place gets when the pool needs no more requests. */
export class SlotsClosedError extends Error {
  constructor() {
    super('no more requests are wanted from this pool');
    this.name = 'SlotsClosedError';
  }
}

interface Waiter {
  wake: () => void;
  refuse: (reason: unknown) => void;
}

/**
 * A pool's places, for one operation. One abort listener serves every waiting request (one each
 * would pass Node's limit of 10 listeners with 8 waiting and 8 sleeping in the rate limiter).
 */
export class RequestSlots {
  /** How many places the pool has: at least one, whole. */
  readonly size: number;
  private free: number;
  private closed = false;
  private readonly waiting: Waiter[] = [];

  constructor(
    size: number,
    private readonly signal: AbortSignal,
  ) {
    this.size = Math.max(1, Math.floor(size));
    this.free = this.size;
    signal.addEventListener('abort', () => this.refuseAll(signal.reason), { once: true });
  }

  /** A place, now or when one is freed; rejects when the operation stops or the pool is closed. */
  async acquire(): Promise<void> {
    this.signal.throwIfAborted();
    if (this.closed) throw new SlotsClosedError();
    if (this.free > 0) {
      this.free -= 1;
      return;
    }
    await new Promise<void>((wake, refuse) => this.waiting.push({ wake, refuse }));
  }

  /** Frees a place: to the longest waiting request when there is one (then true). */
  release(): boolean {
    const next = this.waiting.shift();
    if (next === undefined) {
      this.free += 1;
      return false;
    }
    next.wake();
    return true;
  }

  /** No more requests: those waiting for a place, and any later, get SlotsClosedError. */
  close(): void {
    this.closed = true;
    this.refuseAll(new SlotsClosedError());
  }

  private refuseAll(reason: unknown): void {
    for (const waiter of this.waiting.splice(0)) waiter.refuse(reason);
  }
}

/** A later turn of the event loop: the promise chains woken now (a request being sent) run first. */
function laterTurn(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * One request's place: taken before each attempt (a retry that lost it waits for it again), given
 * up when a 2xx answer is in or when the request ends. Without slots every step is a no-op.
 */
export class SlotPlace {
  private held = false;

  constructor(private readonly slots: RequestSlots | undefined) {}

  async take(): Promise<void> {
    if (this.slots === undefined || this.held) return;
    await this.slots.acquire();
    this.held = true;
  }

  /** The answer is in: the place goes to a waiting request, which is sent before this answer is parsed. */
  async answered(): Promise<void> {
    if (!this.held || this.slots === undefined) return;
    this.held = false;
    if (this.slots.release()) await laterTurn();
  }

  leave(): void {
    if (!this.held || this.slots === undefined) return;
    this.held = false;
    this.slots.release();
  }
}
