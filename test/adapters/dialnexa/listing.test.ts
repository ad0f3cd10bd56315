// Listing against the real simulator over HTTP: envelopes, field variants, termination,
// data changing between pages, guards and filters.
import type { ListProgress } from '../../../lambda/core/ports';
import type { NumberRecord } from '../../../lambda/core/types';
import { generatePortfolio, LIST_PATH } from '../../../simulator';
import type { SimRecord } from '../../../simulator/types';
import {
  clientFor,
  insertFirst,
  listPages,
  numbers,
  recordingLogger,
  rewritingFetch,
  simulatorPerTest,
} from './fixtures';

const start = simulatorPerTest();

const ids = (records: Array<{ id: string }>) => records.map((r) => r.id);

describe.each(['data-meta', 'items-total'] as const)('the %s envelope', (envelope) => {
  it('lists every number in order with 100 per page', async () => {
    const s = await start({ envelope, numbers: numbers(250) });
    const { client } = clientFor(s);
    const listing = await client.listAll();
    expect(ids(listing.records)).toEqual(ids(numbers(250)));
    expect(listing).toMatchObject({ reportedTotal: 250, complete: true });
    expect(listing.incompleteReason).toBeUndefined();
    expect(listing.stats).toMatchObject({
      pages: 3,
      requests: 3,
      retries: 0,
      rateLimited: 0,
      duplicatesDropped: 0,
      relisted: false,
    });
    expect(listPages(s.requests)).toEqual([1, 2, 3]); // a short last page ends it
    expect(s.requests.every((r) => r.query.limit === '100')).toBe(true);
  });

  it('stops at an exact multiple of 100 without asking for an empty page', async () => {
    const s = await start({ envelope, numbers: numbers(300) });
    const listing = await clientFor(s).client.listAll();
    expect(listing.records).toHaveLength(300);
    expect(listPages(s.requests)).toEqual([1, 2, 3]);
  });

  it('lists an empty workspace with one request', async () => {
    const s = await start({ envelope });
    const listing = await clientFor(s).client.listAll();
    expect(listing).toMatchObject({ records: [], reportedTotal: 0, complete: true });
    expect(listPages(s.requests)).toEqual([1]);
  });
});

describe('records', () => {
  it('maps every documented field variant, unknown fields kept in extra', async () => {
    const variants: SimRecord[] = [
      {
        id: 'phn_a',
        phone_number: '+14155550100',
        country_code: 'US',
        type: 'local',
        status: 'active',
        inbound_agent_id: 'agt_1',
        nickname: 'SF support',
        provider: 'twilio',
        created_at: '2024-03-01T00:00:00.000Z',
      },
      {
        id: 'phn_b',
        phone_number: '+919876543210',
        agent_id: 'agt_2',
        type: 'toll-free',
        status: 'active',
        label: 'Mumbai',
        monthly_cost_usd: '4.50',
      },
      {
        id: 'phn_c',
        phone_number: '+442071838750',
        inbound_agent_id: '',
        type: 'tollfree',
        rental_status: 'expired',
        status: 'active',
      },
      {
        id: 'phn_d',
        phone_number: '+61412345678',
        agent_id: null,
        capabilities: { voice: true, sms: false },
        x_region: 'ap-southeast',
      },
    ];
    const s = await start({ envelope: 'items-total', numbers: variants });
    const listing = await clientFor(s).client.listAll();
    expect(listing.records).toEqual<NumberRecord[]>([
      // Known fields only: each comes through as served, spelling variants and all.
      ...variants.slice(0, 3).map((v) => ({ ...(v as NumberRecord), extra: {} })),
      {
        id: 'phn_d',
        phone_number: '+61412345678',
        agent_id: null,
        extra: { capabilities: { voice: true, sms: false }, x_region: 'ap-southeast' },
      },
    ]);
    // Absent stays absent (undefined), not null: "no country said" differs from "said null".
    expect('country_code' in listing.records[1]).toBe(false);
  });

  it('loses nothing from a mixed portfolio: known fields plus extra rebuild each served record', async () => {
    const portfolio = generatePortfolio({ seed: 7, size: 240, variants: 'mixed' });
    const s = await start({ numbers: portfolio });
    const listing = await clientFor(s).client.listAll();
    expect(listing.complete).toBe(true);
    const rebuilt = listing.records.map(({ extra, ...known }) => ({ ...known, ...extra }));
    expect(rebuilt).toEqual(portfolio);
    expect(listing.records.some((r) => r.agent_id !== undefined)).toBe(true);
    expect(listing.records.some((r) => r.inbound_agent_id !== undefined)).toBe(true);
    expect(listing.records.some((r) => r.extra && Object.keys(r.extra).length > 0)).toBe(true);
  });

  it('marks the listing incomplete, naming the record, when one fails validation', async () => {
    const inventory = numbers(150);
    inventory[120] = { ...inventory[120], phone_number: '14155550120' };
    const s = await start({ numbers: inventory });
    const listing = await clientFor(s).client.listAll();
    expect(listing.complete).toBe(false);
    expect(listing.incompleteReason).toBe(
      '1 record from DialNexa failed validation and is missing from the report: ' +
        'page 2 item 21 (id phn_0120): its "phone_number" "14155550120" does not start with "+"',
    );
    expect(listing.records).toHaveLength(149);
    expect(ids(listing.records)).not.toContain('phn_0120');
    expect(listing.stats.relisted).toBe(false); // the count agrees: re-listing would not help
  });

  it('keeps a number with a stray space or a 00 prefix: the listing stays complete', async () => {
    const inventory = numbers(150);
    inventory[7] = { ...inventory[7], phone_number: ' +14155550007 ' };
    inventory[120] = { ...inventory[120], phone_number: '001 415 555 0120' };
    const s = await start({ numbers: inventory });
    const listing = await clientFor(s).client.listAll();
    expect(listing.complete).toBe(true);
    expect(listing.incompleteReason).toBeUndefined();
    expect(listing.records).toHaveLength(150);
    expect(listing.records[7].phone_number).toBe('+14155550007');
    expect(listing.records[120].phone_number).toBe('001 415 555 0120');
  });
});

describe('paging', () => {
  it('fetches pages 2..N concurrently, never more at once than `concurrency`', async () => {
    const s = await start({ numbers: numbers(1200), latencyMs: 25 });
    const { client } = clientFor(s, { concurrency: 3 });
    const listing = await client.listAll();
    expect(listing.records).toHaveLength(1200);
    expect(listPages(s.requests).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    const overlap = Math.max(
      ...s.requests.map(
        (r) => s.requests.filter((o) => o.receivedAt <= r.receivedAt && o.finishedAt > r.receivedAt).length,
      ),
    );
    expect(overlap).toBeGreaterThan(1);
    expect(overlap).toBeLessThanOrEqual(3);
    expect(s.requests[0].finishedAt).toBeLessThanOrEqual(s.requests[1].receivedAt); // page 1 alone first
  });

  it("hands a page's records on only after the next page's request is out", async () => {
    const s = await start({ numbers: numbers(500) });
    const events: string[] = [];
    const recording: typeof fetch = (input, init) => {
      events.push(`request page ${new URL(String(input)).searchParams.get('page')}`);
      return fetch(input, init);
    };
    const { client } = clientFor(s, { concurrency: 1, fetch: recording });
    const listing = await client.listAll({
      onRecords: (records) => events.push(`records ${records[0].id}`),
    });
    expect(listing.records).toHaveLength(500);
    // Page 2 (phn_0100 on) is handed on after page 3 was asked for; every page is handed on once.
    expect(events.indexOf('request page 3')).toBeLessThan(events.indexOf('records phn_0100'));
    expect(events.filter((e) => e.startsWith('records'))).toHaveLength(5);
  });

  it("sends the next page's request as soon as an answer is in, before that answer is read", async () => {
    const s = await start({ numbers: numbers(500), latencyMs: 5 });
    const events: string[] = [];
    const recording: typeof fetch = (input, init) => {
      events.push(`request page ${new URL(String(input)).searchParams.get('page')}`);
      return fetch(input, init);
    };
    const logger = recordingLogger();
    const read = logger.debug;
    logger.debug = (message, extra) => {
      if (message === 'DialNexa page fetched') events.push(`read page ${extra?.page}`);
      read(message, extra);
    };
    const listing = await clientFor(s, { concurrency: 1, fetch: recording, logger }).client.listAll();
    expect(listing.records).toHaveLength(500);
    // One request at a time, and page 3 is asked for before page 2's answer is read.
    expect(events.indexOf('request page 3')).toBeLessThan(events.indexOf('read page 2'));
    const overlap = Math.max(
      ...s.requests.map(
        (r) => s.requests.filter((o) => o.receivedAt <= r.receivedAt && o.finishedAt > r.receivedAt).length,
      ),
    );
    expect(overlap).toBe(1);
  });

  it('keeps a page that must be retried in its place: a 5xx retry goes before the next page', async () => {
    const s = await start({ numbers: numbers(500) });
    s.enqueueFault({ kind: 'status', status: 503 }, { page: 3 });
    const listing = await clientFor(s, { concurrency: 1 }).client.listAll();
    expect(listing.records).toHaveLength(500);
    expect(listPages(s.requests)).toEqual([1, 2, 3, 3, 4, 5]);
  });

  it('gives up a place only once the whole answer is read, not when its headers arrive', async () => {
    const s = await start({ numbers: numbers(500) });
    s.enqueueFault({ kind: 'slow-body', delayMs: 40 }, { page: 2 });
    const listing = await clientFor(s, { concurrency: 1 }).client.listAll();
    expect(listing.records).toHaveLength(500);
    const page = (n: number) => s.requests.find((r) => r.path === LIST_PATH && r.query.page === String(n));
    expect(page(3)?.receivedAt).toBeGreaterThanOrEqual(page(2)?.finishedAt ?? Infinity);
  });

  it('takes a place again to retry a 2xx answer that did not parse, never more in flight', async () => {
    const s = await start({ numbers: numbers(500), latencyMs: 5 });
    s.enqueueFault({ kind: 'malformed-json' }, { page: 3 });
    const listing = await clientFor(s, { concurrency: 1 }).client.listAll();
    expect(listing.records).toHaveLength(500);
    expect(listing.stats.retries).toBe(1);
    expect(listPages(s.requests).filter((p) => p === 3)).toHaveLength(2);
    const overlap = Math.max(
      ...s.requests.map(
        (r) => s.requests.filter((o) => o.receivedAt <= r.receivedAt && o.finishedAt > r.receivedAt).length,
      ),
    );
    expect(overlap).toBe(1);
  });

  it('pages one at a time until a short page when the API gives no total', async () => {
    const s = await start({ envelope: 'items-total', numbers: numbers(300), latencyMs: 5 });
    const noTotal = rewritingFetch((body) => delete body.total);
    const listing = await clientFor(s, { fetch: noTotal }).client.listAll();
    expect(listing).toMatchObject({ reportedTotal: null, complete: true });
    expect(listing.records).toHaveLength(300);
    expect(listPages(s.requests)).toEqual([1, 2, 3, 4]); // only the empty 4th page proves the end
    for (const [i, r] of s.requests.slice(1).entries()) {
      expect(r.receivedAt).toBeGreaterThanOrEqual(s.requests[i].finishedAt);
    }
  });

  it('follows the page size the server clamps to', async () => {
    const s = await start({ numbers: numbers(230), maxLimit: 50 });
    const listing = await clientFor(s).client.listAll();
    expect(listing).toMatchObject({ complete: true, reportedTotal: 230 });
    expect(ids(listing.records)).toEqual(ids(numbers(230)));
    expect(listPages(s.requests)).toHaveLength(5);
  });

  it('reports progress after each page', async () => {
    const s = await start({ numbers: numbers(250) });
    const seen: ListProgress[] = [];
    await clientFor(s, { concurrency: 1 }).client.listAll({ onProgress: (p) => seen.push(p) });
    expect(seen).toEqual([
      { pagesFetched: 1, pagesTotal: 3 },
      { pagesFetched: 2, pagesTotal: 3 },
      { pagesFetched: 3, pagesTotal: 3 },
    ]);
  });

  it('logs one debug line per page', async () => {
    const s = await start({ numbers: numbers(250) });
    const logger = recordingLogger();
    await clientFor(s, { logger }).client.listAll();
    const pages = logger.lines.filter((l) => l.level === 'debug' && l.message === 'DialNexa page fetched');
    expect(pages.map((l) => l.extra?.page).sort()).toEqual([1, 2, 3]);
    expect(pages.find((l) => l.extra?.page === 3)?.extra).toMatchObject({ records: 50, pagesTotal: 3 });
  });

  it('passes the country and type filters to the API', async () => {
    const portfolio = generatePortfolio({ seed: 3, size: 400, variants: 'canonical' });
    const expected = portfolio.filter((r) => r.country_code === 'IN' && r.type === 'toll_free');
    expect(expected.length).toBeGreaterThan(0);
    const s = await start({ numbers: portfolio });
    const listing = await clientFor(s).client.listAll({ filters: { countryCode: 'IN', type: 'toll_free' } });
    expect(s.requests.every((r) => r.query.country_code === 'IN' && r.query.type === 'toll_free')).toBe(true);
    expect(ids(listing.records)).toEqual(ids(expected));
    expect(listing).toMatchObject({ complete: true, reportedTotal: expected.length });
  });
});

describe('data changing during the listing', () => {
  it('drops the duplicate an insert pushes onto the next page and re-lists to find the new number', async () => {
    const s = await start({ numbers: numbers(300) });
    const added = numbers(1, 9000)[0];
    s.afterPage(1, () => insertFirst(s, added));
    const listing = await clientFor(s).client.listAll();
    expect(listing).toMatchObject({ complete: true, reportedTotal: 301 });
    expect(listing.stats.relisted).toBe(true);
    expect(listing.stats.duplicatesDropped).toBe(1); // phn_0099 came back on page 2
    expect(listing.records).toHaveLength(301);
    expect(new Set(ids(listing.records)).size).toBe(301);
    expect(ids(listing.records)[0]).toBe(added.id);
    const pages = listPages(s.requests);
    expect(pages.slice(0, 3).sort()).toEqual([1, 2, 3]); // the first pass planned 3 pages from total 300
    expect(pages.slice(3).sort()).toEqual([1, 2, 3, 4]);
  });

  it('re-lists after a delete and returns the agreeing second listing', async () => {
    const s = await start({ numbers: numbers(300) });
    s.afterPage(1, () => s.remove('phn_0005'));
    const listing = await clientFor(s).client.listAll();
    // The first pass missed phn_0100 (shifted onto page 1) and still had phn_0005.
    expect(listing).toMatchObject({ complete: true, reportedTotal: 299 });
    expect(listing.stats.relisted).toBe(true);
    expect(ids(listing.records)).toEqual(ids(numbers(300)).filter((id) => id !== 'phn_0005'));
  });

  it('returns an incomplete listing when the data changes again during the re-list', async () => {
    const s = await start({ numbers: numbers(300) });
    s.afterPage(1, () => {
      s.remove('phn_0005');
      s.afterPage(1, () => s.remove('phn_0006'));
    });
    const listing = await clientFor(s).client.listAll();
    expect(listing.complete).toBe(false);
    expect(listing.stats.relisted).toBe(true);
    expect(listing.reportedTotal).toBe(298);
    expect(listing.incompleteReason).toBe(
      "the API's reported total changed while listing (299 -> 298) (after one re-list); numbers were added or removed during the run",
    );
  });

  it('says how many it found and how many the API claimed when they never agree', async () => {
    const s = await start({ envelope: 'items-total', numbers: numbers(1249) });
    const overCounting = rewritingFetch((body) => {
      body.total = Number(body.total) + 1;
    });
    const listing = await clientFor(s, { fetch: overCounting }).client.listAll();
    expect(listing).toMatchObject({ complete: false, reportedTotal: 1250 });
    expect(listing.records).toHaveLength(1249);
    expect(listing.stats.relisted).toBe(true);
    expect(listing.incompleteReason).toBe(
      'listed 1,249 unique numbers but the API reported 1,250 (after one re-list); numbers may have been added or removed during the run',
    );
  });
});

describe('guards', () => {
  it('stops when the server ignores `page` (concurrent paging)', async () => {
    const s = await start({ numbers: numbers(1000), ignorePage: true });
    const listing = await clientFor(s, { concurrency: 2 }).client.listAll();
    expect(listing.complete).toBe(false);
    expect(listing.incompleteReason).toMatch(
      /^DialNexa seems to ignore the "page" parameter: page [23] returned only numbers already listed/,
    );
    expect(listing.records).toHaveLength(100);
    expect(listing.stats.relisted).toBe(false);
    // Page 1, the first two, and at most two more sent as those two answered, before either was read.
    expect(listPages(s.requests).length).toBeLessThanOrEqual(5);
  });

  it('stops when the server ignores `page` and gives no total', async () => {
    const s = await start({ envelope: 'items-total', numbers: numbers(1000), ignorePage: true });
    const listing = await clientFor(s, { fetch: rewritingFetch((b) => delete b.total) }).client.listAll();
    expect(listing.complete).toBe(false);
    expect(listing.incompleteReason).toContain('page 2 returned only numbers already listed on earlier pages');
    expect(listPages(s.requests)).toEqual([1, 2]);
  });

  it('never fetches more than maxPages', async () => {
    const s = await start({ numbers: numbers(500) });
    const listing = await clientFor(s, { maxPages: 2 }).client.listAll();
    expect(listPages(s.requests).sort()).toEqual([1, 2]);
    expect(listing.complete).toBe(false);
    expect(listing.incompleteReason).toContain(
      'DialNexa reported 5 pages, more than the 2 this client fetches (maxPages)',
    );
  });

  it('never fetches more than maxPages without a total either', async () => {
    const s = await start({ envelope: 'items-total', numbers: numbers(500) });
    const listing = await clientFor(s, { maxPages: 3, fetch: rewritingFetch((b) => delete b.total) }).client.listAll();
    expect(listPages(s.requests)).toEqual([1, 2, 3]);
    expect(listing.incompleteReason).toMatch(/^stopped after 3 pages \(maxPages\)/);
  });
});
