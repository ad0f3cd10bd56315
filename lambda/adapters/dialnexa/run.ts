// One client operation (a listing or an agents read): its abort signal, its deadline and the
// timers it owns. Everything it starts is stopped through `signal`; `dispose` leaves no timer.
import { DeadlineExceededError } from '../../core/errors';
import type { WaitContext } from './rate-limit';

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** setTimeout as a promise that rejects with the signal's reason on abort (and clears its timer). */
export const defaultSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export interface RunOptions {
  now: () => number;
  sleep: Sleep;
  /** Epoch ms (on the `now` clock) by which the operation must be over. */
  deadline?: number;
  /** "listing did not finish before the run's deadline: ..." - built when the deadline hits. */
  deadlineMessage: () => string;
  /** The caller's own stop: aborting it stops the operation with its reason. */
  signal?: AbortSignal;
}

export class Run implements WaitContext {
  private readonly controller = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;

  private readonly onCallerAbort = () => this.fail(this.options.signal?.reason);

  constructor(private readonly options: RunOptions) {
    const { deadline, now, signal } = options;
    if (signal?.aborted) this.fail(signal.reason);
    else signal?.addEventListener('abort', this.onCallerAbort, { once: true });
    if (deadline === undefined) return;
    const left = deadline - now();
    if (left <= 0) this.controller.abort(this.deadlineError());
    else this.timer = setTimeout(() => this.controller.abort(this.deadlineError()), left);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  deadlineError(detail?: string): DeadlineExceededError {
    const at = this.options.deadline === undefined ? '' : ` (${new Date(this.options.deadline).toISOString()})`;
    return new DeadlineExceededError(`${this.options.deadlineMessage()}${detail ? `; ${detail}` : ''}. Deadline${at}.`);
  }

  /** Throws when the operation was stopped or no time is left to start anything. */
  check(): void {
    this.signal.throwIfAborted();
    const { deadline, now } = this.options;
    if (deadline !== undefined && now() >= deadline) {
      const err = this.deadlineError();
      this.controller.abort(err);
      throw err;
    }
  }

  /** Never starts a sleep that would end past the deadline. */
  async sleep(ms: number, why?: string): Promise<void> {
    this.check();
    const { deadline, now } = this.options;
    if (deadline !== undefined && now() + ms > deadline) {
      const err = this.deadlineError(`${why ?? 'a wait'} of ${ms} ms would end past it`);
      this.controller.abort(err);
      throw err;
    }
    await this.options.sleep(ms, this.signal);
    this.signal.throwIfAborted();
  }

  /** Stops every request and wait of this operation (first failure wins). */
  fail(reason: unknown): void {
    if (!this.signal.aborted) this.controller.abort(reason);
  }

  dispose(): void {
    this.options.signal?.removeEventListener('abort', this.onCallerAbort);
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
