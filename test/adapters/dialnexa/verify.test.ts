// A listing without a reported total proves nothing by itself: it is "complete, unverified" unless
// a second listing agrees, and the client makes that second listing only when asked (one at most).
import { createDialNexaClient } from '../../../lambda/adapters/dialnexa';
import type { Simulator } from '../../../simulator/types';
import { fakeClock, keySource, listPages, numbers, rewritingFetch, simulatorPerTest } from './fixtures';

const start = simulatorPerTest();
const noTotal = rewritingFetch((body) => {
  delete body.total;
  delete body.totalPages;
});

function client(s: Simulator, fetchImpl: typeof fetch = noTotal) {
  const clock = fakeClock();
  return createDialNexaClient({
    baseUrl: s.url,
    keySource: keySource(s.apiKey),
    now: clock.now,
    sleep: clock.sleep,
    fetch: fetchImpl,
  });
}

describe('a listing without a reported total', () => {
  it('is complete but unverified when no second listing is asked for', async () => {
    const s = await start({ envelope: 'items-total', numbers: numbers(150) });
    const listing = await client(s).listAll();
    expect(listing).toMatchObject({ complete: true, reportedTotal: null });
    expect(listing.unverified).toMatch(/no total/);
    expect(listPages(s.requests)).toEqual([1, 2]);
  });

  it('is verified by a second listing that finds the same numbers', async () => {
    const s = await start({ envelope: 'items-total', numbers: numbers(150) });
    const listing = await client(s).listAll({ verify: true });
    expect(listing).toMatchObject({ complete: true, reportedTotal: null });
    expect(listing.unverified).toBeUndefined();
    expect(listing.stats.relisted).toBe(true);
    expect(listPages(s.requests)).toEqual([1, 2, 1, 2]);
  });

  it('is incomplete when the second listing disagrees, and never lists a third time', async () => {
    const s = await start({ envelope: 'items-total', numbers: numbers(150) });
    // The first pass is short (one page of a broken server), the second one whole.
    s.afterPage(2, () => s.add(...numbers(30, 500)));
    const listing = await client(s).listAll({ verify: true });
    expect(listing.complete).toBe(false);
    expect(listing.incompleteReason).toMatch(/two listings .*disagree.*150.*180/);
    expect(listPages(s.requests)).toEqual([1, 2, 1, 2]);
  });

  it('makes no second listing when the API reports a total it agrees with', async () => {
    const s = await start({ numbers: numbers(150) });
    const listing = await client(s, fetch).listAll({ verify: true });
    expect(listing).toMatchObject({ complete: true, reportedTotal: 150 });
    expect(listing.unverified).toBeUndefined();
    expect(listPages(s.requests)).toEqual([1, 2]);
  });

  it('an empty listing with a total of 0 is complete and verified (the baseline guard judges it)', async () => {
    const s = await start({ numbers: [] });
    const listing = await client(s, fetch).listAll({ verify: true });
    expect(listing).toMatchObject({ complete: true, reportedTotal: 0, records: [] });
    expect(listing.unverified).toBeUndefined();
  });
});
