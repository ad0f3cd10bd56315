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

/** Waits for a place; rejects with the signal's reason when the operation stops. */
export class RequestSlots {
  private free: number;
  private closed = false;
  private readonly waiting: Array<{ wake: () => void; refuse: () => void }> = [];

  constructor(size: number) {
    this.free = size;
  }

  async acquire(signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    if (this.closed) throw new SlotsClosedError();
    if (this.free > 0) {
      this.free -= 1;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const waiter = {
        wake: () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
        refuse: () => {
          signal.removeEventListener('abort', onAbort);
          reject(new SlotsClosedError());
        },
      };
      const onAbort = () => {
        const at = this.waiting.indexOf(waiter);
        if (at !== -1) this.waiting.splice(at, 1);
        reject(signal.reason);
      };
      this.waiting.push(waiter);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** No more requests: those waiting for a place, and any later, get SlotsClosedError. */
  close(): void {
    this.closed = true;
    for (const waiter of this.waiting.splice(0)) waiter.refuse();
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
}

/** A later turn of the event loop: the promise chains woken now (a request being sent) run first. */
export function laterTurn(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * One request's place: taken before each attempt (a retry that lost it waits for it again), given
 * up when a 2xx answer is in or when the request ends. Without slots every step is a no-op.
 */
export class SlotPlace {
  private held = false;

  constructor(
    private readonly slots: RequestSlots | undefined,
    private readonly signal: AbortSignal,
  ) {}

  async take(): Promise<void> {
    if (this.slots === undefined || this.held) return;
    await this.slots.acquire(this.signal);
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
