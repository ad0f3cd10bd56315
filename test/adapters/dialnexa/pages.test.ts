// The page collector on its own: dedupe, stop rules and guards, without a server.
import fc from 'fast-check';
import { PageCollector } from '../../../lambda/adapters/dialnexa/pages';
import type { PageEnvelope } from '../../../lambda/adapters/dialnexa/schema';

const rec = (id: string | null, n = 0) => ({
  ...(id === null ? {} : { id }),
  phone_number: `+1415555${String(n).padStart(4, '0')}`,
});

function env(ids: Array<string | null>, meta: Partial<Omit<PageEnvelope, 'rawRecords'>> = {}): PageEnvelope {
  return {
    rawRecords: ids.map((id, i) => rec(id, i)),
    page: null,
    limit: null,
    total: null,
    totalPages: null,
    ...meta,
  };
}

const ids = (from: number, count: number) => Array.from({ length: count }, (_, i) => `phn_${from + i}`);

describe('PageCollector', () => {
  it.each<[string, Partial<PageEnvelope>, number, number | null]>([
    ['takes the page count from totalPages', { totalPages: 7, total: 1000 }, 3, 7],
    ['derives the page count from total and the page size', { total: 10 }, 3, 4],
    ['follows a page size the server clamped ours to', { total: 10, limit: 5 }, 5, 2],
    ['knows no page count when page 1 gives none', {}, 3, null],
  ])('%s', (_name, meta, limit, pagesTotal) => {
    const pages = new PageCollector(env(ids(0, 3), meta), 3);
    expect(pages.limit).toBe(limit);
    expect(pages.pagesTotal).toBe(pagesTotal);
  });

  it.each<[string, number, PageEnvelope, boolean]>([
    ['a short page is the last', 2, env(ids(0, 2)), true],
    ['a full page with no count is not', 2, env(ids(0, 3)), false],
    ['a full page at totalPages is', 2, env(ids(0, 3), { totalPages: 2 }), true],
    ['a full page reaching total is', 2, env(ids(0, 3), { total: 6 }), true],
    ['a full page short of total is not', 2, env(ids(0, 3), { total: 7 }), false],
  ])('%s', (_name, page, given, last) => {
    expect(new PageCollector(env(ids(0, 3)), 3).isLast(page, given)).toBe(last);
  });

  it('returns records in page order, each id once, counting the duplicates it dropped', () => {
    const pages = new PageCollector(env(ids(0, 3), { total: 8 }), 3);
    pages.record(1, env(ids(0, 3), { total: 8 }));
    // Page 3 arrives before page 2 (concurrent fetches); an insert pushed phn_2 onto page 2.
    expect(pages.record(3, env(ids(5, 3), { total: 9 }))).toBe(3);
    expect(pages.record(2, env(['phn_2', 'phn_3', 'phn_4'], { total: 9 }))).toBe(2);
    const { pass, duplicatesDropped } = pages.result();
    expect(pass.records.map((r) => r.id)).toEqual(ids(0, 8));
    expect(duplicatesDropped).toBe(1);
    expect(pass).toMatchObject({ totals: [8, 9, 9], listedCount: 8, stopReason: null, invalid: [] });
  });

  it('keeps the first record of each id in page order, whatever the arrival order and repeats (property)', () => {
    // Ids from a small pool so pages repeat each other; a record is invalid when its number is.
    const record = fc.record({ id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'), valid: fc.boolean() });
    const pagesOf = fc.array(fc.array(record, { maxLength: 4 }), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(pagesOf, fc.func(fc.integer()), (pages, rank) => {
        const envs = pages.map((page) => ({
          ...env([]),
          rawRecords: page.map(({ id, valid }) => ({ id, phone_number: valid ? '+14155550100' : '555' })),
        }));
        const collector = new PageCollector(envs[0], 4);
        const arrival = envs.map((_, i) => i + 1).sort((a, b) => rank(a) - rank(b) || a - b);
        for (const page of arrival) collector.record(page, envs[page - 1]);
        // The reference: every valid record in page order, each id's first kept.
        const valid = pages.flat().filter((r) => r.valid);
        const kept = valid.filter((r, i) => valid.findIndex((o) => o.id === r.id) === i);
        const { pass, duplicatesDropped } = collector.result();
        expect(pass.records.map((r) => r.id)).toEqual(kept.map((r) => r.id));
        expect(duplicatesDropped).toBe(valid.length - kept.length);
      }),
    );
  });

  it('keeps invalid records out, naming page and position, and counts each as listed', () => {
    const first = env(ids(0, 3));
    first.rawRecords.push(rec(null), { id: 'phn_bad', phone_number: '555' });
    const pages = new PageCollector(first, 5);
    expect(pages.record(1, first)).toBe(5);
    const { pass } = pages.result();
    expect(pass.records).toHaveLength(3);
    expect(pass.listedCount).toBe(5);
    expect(pass.invalid).toEqual([
      { page: 1, index: 3, id: null, problem: 'it has no string "id"' },
      { page: 1, index: 4, id: 'phn_bad', problem: 'its "phone_number" "555" does not start with "+"' },
    ]);
  });

  it('sees a server ignoring `page` when a later page brings only ids already listed', () => {
    const pages = new PageCollector(env(ids(0, 3)), 3);
    pages.record(1, env(ids(0, 3)));
    pages.record(2, env([]));
    expect(pages.ignoresPage).toBe(false);
    pages.record(3, env(ids(0, 3)));
    expect(pages.ignoresPage).toBe(true);
    // A page still in flight repeats it: the first one explains the stop.
    pages.record(4, env(ids(0, 3)));
    expect(pages.result().pass.stopReason).toBe(
      'DialNexa seems to ignore the "page" parameter: page 3 returned only numbers already listed on earlier pages, ' +
        'so the listing stopped after 3 pages with 3 numbers',
    );
  });

  it('bounds a known count by maxPages and says so; a smaller count is fetched whole', () => {
    expect(new PageCollector(env(ids(0, 3), { totalPages: 5 }), 3).lastPageWithin(5)).toBe(5);
    expect(new PageCollector(env(ids(0, 3)), 3).lastPageWithin(5)).toBeNull();
    const pages = new PageCollector(env(ids(0, 3), { totalPages: 2500 }), 3);
    expect(pages.lastPageWithin(2000)).toBe(2000);
    expect(pages.result().pass.stopReason).toBe(
      'DialNexa reported 2,500 pages, more than the 2,000 this client fetches (maxPages); only the first 2,000 were listed',
    );
  });

  it('prefers the ignored-page explanation to the maxPages one', () => {
    const pages = new PageCollector(env(ids(0, 3), { totalPages: 9 }), 3);
    pages.lastPageWithin(4);
    pages.record(1, env(ids(0, 3)));
    pages.record(2, env(ids(0, 3)));
    expect(pages.result().pass.stopReason).toMatch(/^DialNexa seems to ignore the "page" parameter: page 2 /);
  });

  it('explains a stop at maxPages when no count was given', () => {
    const pages = new PageCollector(env(ids(0, 3)), 3);
    pages.stopAtMaxPages(40);
    expect(pages.result().pass.stopReason).toBe(
      'stopped after 40 pages (maxPages) without reaching the end of the list; DialNexa may be ignoring the "page" parameter',
    );
  });
});
