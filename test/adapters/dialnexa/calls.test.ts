// GET /v1/calls through the client: field variants, 403, and one rate limit shared with the
// listing (the limit is per key), on a clock the simulator and the client share.
import { createDialNexaClient } from '../../../lambda/adapters/dialnexa';
import { parseCallsPage, toCallRecord } from '../../../lambda/adapters/dialnexa/calls';
import { PermissionError } from '../../../lambda/core/errors';
import { normalizeAll } from '../../../lambda/core/normalize';
import { checkUsage } from '../../../lambda/core/usage';
import { generateCallHistory } from '../../../simulator';
import { fakeClock, keySource, numbers, simulatorPerTest } from './fixtures';

const start = simulatorPerTest();
const WINDOW = { startDate: '2026-01-01T00:00:00.000Z', endDate: '2026-02-01T00:00:00.000Z' };

test('call fields are read from every spelling; an unreadable call still counts', () => {
  const at = '2026-01-05T10:00:00.000Z';
  expect(toCallRecord({ id: '1', to_number: '+12015550100', from_number: '+1415', createdAt: at })).toEqual({
    to: '+12015550100',
    from: '+1415',
    at,
  });
  expect(toCallRecord({ id: '2', to: '+1201', from: '+1415', created_at: at })).toMatchObject({ to: '+1201', at });
  expect(toCallRecord({ id: '3', start_timestamp: Date.parse(at) / 1000 }).at).toBe(at);
  expect(toCallRecord({ id: '4', start_timestamp: Date.parse(at) }).at).toBe(at);
  expect(toCallRecord({ id: '5' })).toEqual({ to: null, from: null, at: null });
  expect(parseCallsPage([{ id: 'x' }]).calls).toHaveLength(1);
  expect(parseCallsPage({ items: [], total: 3 }).total).toBe(3);
  expect(parseCallsPage({ data: [], meta: { total_pages: 2 } }).totalPages).toBe(2);
  expect(() => parseCallsPage({ rows: [] })).toThrow(/calls list/);
});

test('the query carries the window, the page, the limit and the number filter', async () => {
  const s = await start({ calls: [] });
  const client = createDialNexaClient({ baseUrl: s.url, keySource: keySource(s.apiKey) });
  await client.listCalls({ ...WINDOW, page: 2, limit: 200, to: '+12015550100' });
  expect(s.requests[0]?.path).toBe('/v1/calls');
  expect(s.requests[0]?.query).toEqual({
    start_date: WINDOW.startDate,
    end_date: WINDOW.endDate,
    page: '2',
    limit: '200',
    to: '+12015550100',
  });
});

test('a key that may not read calls gets a PermissionError naming the access', async () => {
  const s = await start({ keys: { k: 'no-calls' } });
  const client = createDialNexaClient({ baseUrl: s.url, keySource: keySource('k') });
  const err = await client.listCalls({ ...WINDOW, page: 1, limit: 1 }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(PermissionError);
  expect((err as Error).message).toMatch(/read access to calls/);
});

test('listing and the usage check share one announced limit: zero 429s', async () => {
  const clock = fakeClock();
  const now = clock.now();
  const records = numbers(600);
  const calls = generateCallHistory(records, { seed: 3, now });
  const s = await start({
    numbers: records,
    calls,
    now: clock.now,
    rateLimit: { limit: 5, windowMs: 1_000, resetStyle: 'seconds' },
  });
  const client = createDialNexaClient({
    baseUrl: s.url,
    keySource: keySource(s.apiKey),
    now: clock.now,
    sleep: clock.sleep,
  });
  const listing = await client.listAll();
  const usage = await checkUsage(normalizeAll(listing.records), client, {
    windowDays: 30,
    budget: 40,
    now: new Date(clock.now()),
  });
  expect(s.requests.filter((r) => r.path === '/v1/calls').length).toBe(usage.requests);
  expect(s.requests.filter((r) => r.status === 429)).toHaveLength(0);
  expect(usage.idle.length + usage.usedCount + usage.unknownCount + usage.newCount).toBe(600);
  expect(usage.idle.length).toBeGreaterThan(0);
});
