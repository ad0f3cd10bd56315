// A listing spread over several invocations (fan-out): each invocation fetches pages in batches
// until its time is nearly up and leaves them in a checkpoint; the one that reaches the last page
// checks all of them together exactly as one listing is checked (count against the API's total,
// one re-list when they disagree, invalid records, a server ignoring `page`).
import { DeadlineExceededError } from '../../core/errors';
import type { ListOptions, NumberLister } from '../../core/ports';
import type { Listing, ListingStats } from '../../core/types';
import { KeyHolder } from './key';
import {
  fetchPage,
  incompleteReasons,
  type ListingSettings,
  listingOf,
  newListingStats,
  shouldRelist,
} from './listing';
import { fmt, PageCollector } from './pages';
import { Run } from './run';
import type { PageEnvelope } from './schema';

/** Pages as fetched, by page number. */
export type FetchedPages = Array<[page: number, envelope: PageEnvelope]>;

/** Where a listing stands between invocations. */
export interface ListingCheckpoint {
  /** 2: the one re-list after a count that disagreed with the total. */
  pass: 1 | 2;
  nextPage: number;
  /** Invocations that fetched pages of this listing so far. */
  invocations: number;
}

/** Keeps the checkpoint and the pages of the current pass (S3 in the workspace task). */
export interface CheckpointStore {
  load(): Promise<{ checkpoint: ListingCheckpoint; pages: FetchedPages } | null>;
  /** Adds `pages` to the current pass (a new pass starts with none) and records `checkpoint`. */
  save(checkpoint: ListingCheckpoint, pages: FetchedPages): Promise<void>;
}

/** The listing is not over: the checkpoint is saved, the next invocation goes on from it. */
export class ListingPaused extends Error {
  override readonly name = 'ListingPaused';
}

export interface PageSpan {
  pages: FetchedPages;
  /** null: the list ended (or a guard stopped it); else the first page not fetched yet. */
  nextPage: number | null;
  stats: Pick<ListingStats, 'requests' | 'retries' | 'rateLimited'>;
}

/**
 * Pages from `fromPage` on, a batch of `concurrency` at a time (page 1 alone: it tells the count),
 * until the list ends or another batch would likely end past `deadline`. A deadline hit inside a
 * batch keeps the batches before it.
 */
export async function listPageSpan(
  settings: ListingSettings,
  options: { fromPage: number; first?: PageEnvelope; filters?: ListOptions['filters']; deadline?: number },
): Promise<PageSpan> {
  const stats = newListingStats();
  const run = new Run({
    now: settings.now,
    sleep: settings.sleep,
    deadline: options.deadline,
    deadlineMessage: () => `listing paused before the invocation's deadline at page ${fmt(next)}`,
  });
  const ctx = {
    settings,
    scope: { run, keys: new KeyHolder(settings.keySource), stats },
    options: { filters: options.filters },
  };
  const pages: FetchedPages = [];
  let next = options.fromPage;
  let collector = options.first ? new PageCollector(options.first, settings.pageSize) : undefined;
  let lastBatchMs = 0;
  try {
    for (;;) {
      if (pages.length > 0 && options.deadline !== undefined && settings.now() + lastBatchMs >= options.deadline) break;
      const last = Math.min(collector?.lastPageWithin(settings.maxPages) ?? next, settings.maxPages);
      const batch = Array.from(
        { length: Math.max(1, Math.min(settings.concurrency, last - next + 1)) },
        (_, i) => next + i,
      );
      const started = settings.now();
      const envelopes = await Promise.all(
        batch.map((page) =>
          fetchPage(ctx, page).catch((error: unknown) => {
            run.fail(error);
            throw error;
          }),
        ),
      );
      lastBatchMs = settings.now() - started;
      collector ??= new PageCollector(envelopes[0], settings.pageSize);
      const seen = collector;
      for (const [i, page] of batch.entries()) pages.push([page, envelopes[i]]);
      next += batch.length;
      const ended = batch.some((page, i) => seen.isLast(page, envelopes[i]));
      if (ended || next > settings.maxPages) return { pages, nextPage: null, stats };
    }
  } catch (error) {
    if (!(error instanceof DeadlineExceededError)) throw error;
    // Only whole batches count: a batch cut short is fetched again next time.
    const kept = pages.filter(([page]) => page < next);
    return { pages: kept, nextPage: next, stats };
  } finally {
    run.dispose();
  }
  return { pages, nextPage: next, stats };
}

/** The pages of one pass checked together: the Listing, or `relist` when the count disagrees. */
export function finishPages(
  pages: FetchedPages,
  pageSize: number,
  relisted: boolean,
): { relist: true } | { relist: false; listing: Omit<Listing, 'stats'>; duplicatesDropped: number } {
  const [first] = pages;
  if (first === undefined) throw new Error('finishPages: no page was fetched');
  const collector = new PageCollector(first[1], pageSize);
  for (const [page, envelope] of [...pages].sort((a, b) => a[0] - b[0])) collector.record(page, envelope);
  const { pass, duplicatesDropped } = collector.result();
  if (!relisted && shouldRelist(pass)) return { relist: true };
  return {
    relist: false,
    duplicatesDropped,
    listing: listingOf(pass, incompleteReasons(pass, relisted), { relisted, repeatable: false }),
  };
}

/**
 * A NumberLister that goes on from `store`'s checkpoint and throws ListingPaused, after saving,
 * when its invocation's time runs out before the list ends.
 */
export function resumableLister(
  listPages: (options: Parameters<typeof listPageSpan>[1]) => Promise<PageSpan>,
  store: CheckpointStore,
  pageSize: number,
  now: () => number = Date.now,
): NumberLister {
  return {
    async listAll(options: ListOptions = {}): Promise<Listing> {
      const started = now();
      const saved = await store.load();
      let checkpoint: ListingCheckpoint = saved?.checkpoint ?? { pass: 1, nextPage: 1, invocations: 0 };
      let pages: FetchedPages = saved?.pages ?? [];
      const stats = newListingStats();
      for (;;) {
        const span = await listPages({
          fromPage: checkpoint.nextPage,
          first: pages[0]?.[1],
          filters: options.filters,
          deadline: options.deadline,
        });
        for (const key of ['requests', 'retries', 'rateLimited'] as const) stats[key] += span.stats[key];
        pages = [...pages, ...span.pages];
        if (span.nextPage !== null) {
          checkpoint = { ...checkpoint, nextPage: span.nextPage, invocations: checkpoint.invocations + 1 };
          await store.save(checkpoint, span.pages);
          throw new ListingPaused(
            `listed ${fmt(pages.length)} pages so far (pass ${checkpoint.pass}); going on from page ${fmt(span.nextPage)} in the next invocation`,
          );
        }
        const done = finishPages(pages, pageSize, checkpoint.pass === 2);
        if (!done.relist) {
          Object.assign(stats, {
            pages: pages.length,
            duplicatesDropped: done.duplicatesDropped,
            relisted: checkpoint.pass === 2,
            durationMs: now() - started,
          });
          return { ...done.listing, stats };
        }
        // The count disagreed with the total: the one re-list, from page 1, as a single listing does.
        checkpoint = { pass: 2, nextPage: 1, invocations: checkpoint.invocations };
        pages = [];
        await store.save(checkpoint, []);
      }
    },
  };
}
