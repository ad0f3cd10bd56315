// A listing spread over invocations: paused with its pages saved, resumed from the checkpoint by a
// new lister, and checked at the end as one listing (total, the one re-list from page 1).
import {
  type CheckpointStore,
  type FetchedPages,
  finishPages,
  type ListingCheckpoint,
  ListingPaused,
  type PageSpan,
  resumableLister,
} from '../../../lambda/adapters/dialnexa/resumable';
import type { PageEnvelope } from '../../../lambda/adapters/dialnexa/schema';

const record = (i: number) => ({ id: `phn_${i}`, phone_number: `+1415555${String(i).padStart(4, '0')}` });

/** Page `page` of a list of `total` numbers, 100 a page, saying `said` as its total. */
function page(n: number, total: number, said = total): [number, PageEnvelope] {
  const from = (n - 1) * 100;
  const rawRecords = Array.from({ length: Math.max(0, Math.min(100, total - from)) }, (_, i) => record(from + i));
  return [n, { rawRecords, page: n, limit: 100, total: said, totalPages: null }];
}

function memoryStore(): CheckpointStore & { saved: Array<{ checkpoint: ListingCheckpoint; pages: number[] }> } {
  let state: { checkpoint: ListingCheckpoint; pages: FetchedPages } | null = null;
  const saved: Array<{ checkpoint: ListingCheckpoint; pages: number[] }> = [];
  return {
    saved,
    load: async () => state,
    save: async (checkpoint, pages) => {
      const carried = state && state.checkpoint.pass === checkpoint.pass ? state.pages : [];
      state = { checkpoint, pages: [...carried, ...pages] };
      saved.push({ checkpoint, pages: pages.map(([n]) => n) });
    },
  };
}

const stats = { requests: 0, retries: 0, rateLimited: 0 };
/** One span per call, as successive invocations would fetch them. */
function spans(...list: Array<[FetchedPages, number | null]>) {
  const calls: number[] = [];
  const listPages = async ({ fromPage }: { fromPage: number }): Promise<PageSpan> => {
    calls.push(fromPage);
    const next = list.shift();
    if (next === undefined) throw new Error('no more spans scripted');
    return { pages: next[0], nextPage: next[1], stats };
  };
  return { listPages, calls };
}

describe('finishPages', () => {
  it('checks the pages of every invocation together against the total', () => {
    const done = finishPages([page(3, 250), page(1, 250), page(2, 250)], 100, false);
    expect(done).toMatchObject({ relist: false, listing: { complete: true, reportedTotal: 250 } });
    if (!done.relist)
      expect(done.listing.records.map((r) => r.id)).toEqual(Array.from({ length: 250 }, (_, i) => `phn_${i}`));
  });

  it('asks for the one re-list when the count disagrees, and after it says the listing is incomplete', () => {
    const short = [page(1, 249, 250), page(2, 249, 250), page(3, 249, 250)];
    expect(finishPages(short, 100, false)).toEqual({ relist: true });
    expect(finishPages(short, 100, true)).toMatchObject({
      relist: false,
      listing: {
        complete: false,
        incompleteReason: expect.stringMatching(
          /listed 249 unique numbers but the API reported 250 \(after one re-list\)/,
        ),
      },
    });
  });
});

describe('resumableLister', () => {
  it('pauses with its pages saved, and a later invocation goes on from the next page', async () => {
    const store = memoryStore();
    const first = spans([[page(1, 250)], 2]);
    await expect(resumableLister(first.listPages, store, 100).listAll()).rejects.toThrow(ListingPaused);
    expect(store.saved).toEqual([{ checkpoint: { pass: 1, nextPage: 2, invocations: 1 }, pages: [1] }]);

    const second = spans([[page(2, 250), page(3, 250)], null]);
    const listing = await resumableLister(second.listPages, store, 100).listAll();
    expect(second.calls).toEqual([2]);
    expect(listing).toMatchObject({ complete: true, reportedTotal: 250, stats: { pages: 3 } });
    expect(listing.records).toHaveLength(250);
  });

  it('re-lists from page 1 in a second pass when the count disagreed, dropping the first pass', async () => {
    const store = memoryStore();
    // Pass 1 lists 249 of a reported 250; pass 2 (page 1 again) finds all 250.
    const run = spans([[page(1, 249, 250), page(2, 249, 250), page(3, 249, 250)], null], [[page(1, 250)], 2]);
    await expect(resumableLister(run.listPages, store, 100).listAll()).rejects.toThrow(/pass 2/);
    expect(run.calls).toEqual([1, 1]);
    expect(store.saved.map((s) => s.checkpoint)).toEqual([
      { pass: 2, nextPage: 1, invocations: 0 },
      { pass: 2, nextPage: 2, invocations: 1 },
    ]);
    const rest = spans([[page(2, 250), page(3, 250)], null]);
    const listing = await resumableLister(rest.listPages, store, 100).listAll();
    expect(listing).toMatchObject({ complete: true, reportedTotal: 250, stats: { relisted: true } });
    expect(listing.records).toHaveLength(250);
  });
});
