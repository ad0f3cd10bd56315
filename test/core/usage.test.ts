// The idle proof rules: a sweep that reached the end of the window, or two empty probes. Budget
// exhaustion leaves numbers unknown, never idle.
import type { CallLister, CallRecord, CallsPage, CallsQuery } from '../../lambda/core/ports';
import { checkUsage } from '../../lambda/core/usage';
import { phone } from './fixtures';

const NOW = new Date('2026-03-02T09:00:00Z');
const DAYS_AGO = (d: number) => new Date(NOW.getTime() - d * 86_400_000).toISOString();

/** An in-memory GET /v1/calls honouring the window, `to`/`from` and paging, newest first. */
function fakeCalls(calls: CallRecord[], quirks: { ignoreTo?: boolean; capLimit?: number } = {}) {
  const asked: CallsQuery[] = [];
  const lister: CallLister = {
    async listCalls(q): Promise<CallsPage> {
      asked.push(q);
      const from = Date.parse(q.startDate);
      const to = Date.parse(q.endDate);
      const matching = calls
        .filter((c) => c.at === null || (Date.parse(c.at) >= from && Date.parse(c.at) <= to))
        .filter((c) => quirks.ignoreTo || q.to === undefined || c.to === q.to)
        .filter((c) => q.from === undefined || c.from === q.from)
        .sort((a, b) => Date.parse(b.at ?? '') - Date.parse(a.at ?? ''));
      const limit = Math.min(q.limit, quirks.capLimit ?? q.limit);
      return { calls: matching.slice((q.page - 1) * limit, q.page * limit), total: null, totalPages: null };
    },
  };
  return { lister, asked };
}

const A = phone({ id: 'a', phoneNumber: '+12015550101', monthlyCostUsd: 1.15, createdAt: DAYS_AGO(400) });
const B = phone({ id: 'b', phoneNumber: '+12015550102', monthlyCostUsd: 2.15, createdAt: DAYS_AGO(400) });
const C = phone({ id: 'c', phoneNumber: '+12015550103', monthlyCostUsd: 16, createdAt: DAYS_AGO(400) });
const call = (to: string, from: string, daysAgo: number): CallRecord => ({ to, from, at: DAYS_AGO(daysAgo) });
const OTHER = '+14155550199';

test('a sweep that reaches the end of the window proves every unseen number idle', async () => {
  const { lister, asked } = fakeCalls([call(A.phoneNumber, OTHER, 1), call(OTHER, B.phoneNumber, 3)]);
  const r = await checkUsage([A, B, C], lister, { windowDays: 30, budget: 100, now: NOW });
  expect(r.sweepCovered).toBe(true);
  expect(r.byNumber.get(A)).toEqual({ state: 'used', lastCallAt: DAYS_AGO(1) });
  // Used only outbound still counts as used.
  expect(r.byNumber.get(B)?.state).toBe('used');
  expect(r.idle.map((n) => n.id)).toEqual(['c']);
  expect(r.idleMonthly).toBe(16);
  // Page 1 held both calls; page 2 came back empty: that empty page is the proof.
  expect(asked.map((q) => q.page)).toEqual([1, 2]);
  expect(asked[0]).toMatchObject({ limit: 200, startDate: DAYS_AGO(30), endDate: NOW.toISOString() });
});

test('a call whose numbers cannot be read keeps the sweep from proving anything idle', async () => {
  // The API spelled to/from in a way the adapter does not know: that call could be C's.
  const unreadable: CallRecord = { to: null, from: null, at: DAYS_AGO(2) };
  const { lister } = fakeCalls([call(A.phoneNumber, OTHER, 1), unreadable]);
  const r = await checkUsage([A, C], lister, { windowDays: 30, budget: 100, now: NOW });
  expect(r.sweepCovered).toBe(false);
  // The probes decide instead: C's own probes come back empty (the fake cannot match a null number).
  expect(r.byNumber.get(C)?.state).toBe('idle');
  expect(r.byNumber.get(A)?.state).toBe('used');
});

test('with no budget for probes, an unreadable call leaves the unseen numbers unknown', async () => {
  const unreadable: CallRecord = { to: null, from: null, at: DAYS_AGO(2) };
  const { lister } = fakeCalls([unreadable]);
  const r = await checkUsage([C], lister, { windowDays: 30, budget: 2, now: NOW });
  expect(r.byNumber.get(C)?.state).toBe('unknown');
  expect(r.idle).toEqual([]);
});

test('a short page is not taken as the end (a server may cap the limit)', async () => {
  const calls = Array.from({ length: 150 }, (_, i) => call(OTHER, OTHER, 1 + i / 100));
  calls.push(call(A.phoneNumber, OTHER, 20));
  const { lister } = fakeCalls(calls, { capLimit: 100 });
  const r = await checkUsage([A, C], lister, { windowDays: 30, budget: 100, now: NOW });
  expect(r.byNumber.get(A)?.state).toBe('used');
  expect(r.byNumber.get(C)?.state).toBe('idle');
});

test('calls older than the window are not use: a number used only long ago is idle', async () => {
  const { lister } = fakeCalls([call(A.phoneNumber, OTHER, 45)]);
  const r = await checkUsage([A], lister, { windowDays: 30, budget: 10, now: NOW });
  expect(r.byNumber.get(A)?.state).toBe('idle');
});

test('probes: both directions empty is idle, a call either way is used, most expensive first', async () => {
  // 2,000 calls between other numbers fill the sweep's budget (6 of 12 requests) without the end.
  const busy = Array.from({ length: 2000 }, (_, i) => call(OTHER, OTHER, i / 100));
  busy.push(call(OTHER, A.phoneNumber, 25));
  const { lister, asked } = fakeCalls(busy);
  const r = await checkUsage([A, B, C], lister, { windowDays: 30, budget: 12, now: NOW });
  expect(r.sweepCovered).toBe(false);
  // Taken C ($16), B ($2.15), A ($1.15); A's `to` probe is empty, its `from` probe finds the call.
  expect(asked.flatMap((q) => (q.to ? [q.to] : []))).toEqual([C.phoneNumber, B.phoneNumber, A.phoneNumber]);
  expect(asked.filter((q) => q.from !== undefined)).toHaveLength(3);
  expect(r.byNumber.get(C)?.state).toBe('idle');
  expect(r.byNumber.get(B)?.state).toBe('idle');
  expect(r.byNumber.get(A)).toEqual({ state: 'used', lastCallAt: DAYS_AGO(25) });
  expect(r.requests).toBe(12);
});

test('a spent budget leaves numbers unknown, never idle (also between the two probes)', async () => {
  const busy = Array.from({ length: 400 }, (_, i) => call(OTHER, OTHER, i / 100));
  const { lister } = fakeCalls(busy);
  const r = await checkUsage([A, B, C], lister, { windowDays: 30, budget: 4, now: NOW });
  // Sweep 2 pages, then C's two probes: B and A are never asked about.
  expect(r.byNumber.get(C)?.state).toBe('idle');
  expect(r.byNumber.get(B)?.state).toBe('unknown');
  expect(r.byNumber.get(A)?.state).toBe('unknown');
  expect(r.unknownCount).toBe(2);
  const odd = await checkUsage([A, B, C], fakeCalls(busy).lister, { windowDays: 30, budget: 3, now: NOW });
  // One request left: not enough for both of C's probes, so C is not taken and stays unknown.
  expect(odd.byNumber.get(C)?.state).toBe('unknown');
  expect(odd.idle).toEqual([]);
});

test('a probe answered with another number (filter ignored) proves nothing', async () => {
  const busy = Array.from({ length: 400 }, (_, i) => call(OTHER, OTHER, i / 100));
  const r = await checkUsage([C], fakeCalls(busy, { ignoreTo: true }).lister, { windowDays: 30, budget: 2, now: NOW });
  expect(r.byNumber.get(C)?.state).toBe('unknown');
});

test('numbers bought inside the window are new, not idle; inactive numbers are not checked', async () => {
  const fresh = phone({ id: 'n', phoneNumber: '+12015550104', createdAt: DAYS_AGO(10) });
  const gone = phone({ id: 'x', phoneNumber: '+12015550105', status: 'expired', createdAt: DAYS_AGO(400) });
  const { lister, asked } = fakeCalls([]);
  const r = await checkUsage([fresh, gone, A], lister, { windowDays: 30, budget: 10, now: NOW });
  expect(r.byNumber.get(fresh)?.state).toBe('new');
  expect(r.byNumber.get(gone)?.state).toBe('not_checked');
  expect(r.byNumber.get(A)?.state).toBe('idle');
  expect(r.newCount).toBe(1);
  expect(asked.every((q) => q.to !== gone.phoneNumber && q.from !== gone.phoneNumber)).toBe(true);
});

test('call numbers are matched in any E.164 formatting', async () => {
  const { lister } = fakeCalls([{ to: '+1 (201) 555-0101', from: null, at: DAYS_AGO(2) }]);
  const r = await checkUsage([A], lister, { windowDays: 30, budget: 10, now: NOW });
  expect(r.byNumber.get(A)?.state).toBe('used');
});

test('two numbers whose ids read the same once cleaned each keep their own usage', async () => {
  // Raw ids "pn_1" and "pn_1" + a zero-width space are two numbers; cleaned, both read "pn_1".
  const used = phone({ id: 'pn_1', phoneNumber: '+12015550111', createdAt: DAYS_AGO(400) });
  const idle = phone({ id: 'pn_1', phoneNumber: '+12015550112', createdAt: DAYS_AGO(400) });
  const { lister } = fakeCalls([call(used.phoneNumber, OTHER, 2)]);
  for (const order of [
    [used, idle],
    [idle, used],
  ]) {
    const r = await checkUsage(order, lister, { windowDays: 30, budget: 100, now: NOW });
    expect(r.byNumber.get(used)?.state).toBe('used');
    expect(r.byNumber.get(idle)?.state).toBe('idle');
  }
});
