// A read beside the listing (agents, folders, calls): its own Run on the caller's deadline and
// signal, its own key holder and counters, and the client's settings, so its rate limiter too.
import type { ReadOptions } from '../../core/ports';
import { KeyHolder } from './key';
import type { ListingSettings } from './listing';
import type { RequestScope } from './request';
import { Run } from './run';

/** Runs `read` in its scope; `doing` names it in the deadline error ("listing agents"). */
export async function sideRead<T>(
  settings: ListingSettings,
  options: ReadOptions,
  doing: string,
  read: (scope: RequestScope) => Promise<T>,
): Promise<T> {
  const run = new Run({
    now: settings.now,
    sleep: settings.sleep,
    deadline: options.deadline,
    signal: options.signal,
    deadlineMessage: () => `${doing} did not finish before the run's deadline`,
  });
  try {
    return await read({
      run,
      keys: new KeyHolder(settings.keySource),
      stats: { requests: 0, retries: 0, rateLimited: 0 },
    });
  } finally {
    run.dispose();
  }
}
