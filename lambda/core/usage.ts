// Numbers nobody calls. A number is idle only with proof that it had no call in the window: the
// sweep of the window's calls ended inside the budget without meeting it, or both probes (`to=`
// and `from=`) came back empty. Anything short of that proof is `unknown`, never `idle`.
import { compareByCountryThenNumber, isNotActive, toCents } from './audit';
import { canonicalE164 } from './normalize';
import type { CallLister, CallRecord, CallsPage, CallsQuery } from './calls';
import type { PhoneNumber } from './types';

/** `new`: bought inside the window and not seen called, so too young to call idle. */
export const USAGE_STATES = ['used', 'idle', 'unknown', 'new', 'not_checked'] as const;
export type UsageState = (typeof USAGE_STATES)[number];

export interface NumberUsage {
  state: UsageState;
  /** The newest call seen in the window (ISO); null when none was seen or it had no time. */
  lastCallAt: string | null;
}

/** How far back a call counts as use (the usageWindowDays setting's default). */
export const DEFAULT_USAGE_WINDOW_DAYS = 30;
/**
 * GET /v1/calls requests per workspace (the usageRequestBudget setting's default). At the observed
 * 150 requests / 60 s, the default 900 s function less its 60 s margin sends 2,100 requests; a
 * 10k-number workspace spends 201 of them listing (100 pages, 100 more to verify a count without a
 * total, 1 agents read), so 1,500 (600 s) leaves ~400 (160 s) for retries and pauses.
 * docs/design.md shows the arithmetic.
 */
export const DEFAULT_USAGE_REQUEST_BUDGET = 1500;
/** Calls per sweep page: the API's largest `limit`. */
export const SWEEP_PAGE_SIZE = 200;
/** Share of the request budget the sweep may spend; probes get the rest (and whatever it left). */
export const SWEEP_BUDGET_SHARE = 0.5;
/** Probes in flight at once; they share the listing's rate limiter. */
export const PROBE_CONCURRENCY = 4;
const DAY_MS = 86_400_000;

export interface UsageOptions {
  /** Stops the check's requests (startUsageCheck's early page). */
  signal?: AbortSignal;
  windowDays: number;
  /** Most GET /v1/calls requests the check may send. */
  budget: number;
  now: Date;
  /** Epoch ms by which every request must be over. */
  deadline?: number;
}

export interface UsageResult {
  status: 'checked';
  windowDays: number;
  checkedAt: string;
  windowStart: string;
  /**
   * Every number of the workspace (`not_checked` for those not active), keyed by the number itself:
   * two raw ids can read the same once cleaned, and each number keeps its own usage.
   */
  byNumber: Map<PhoneNumber, NumberUsage>;
  /** Proven idle, most expensive first. */
  idle: PhoneNumber[];
  /** Their monthly cost in USD (known costs only), summed in cents. */
  idleMonthly: number;
  usedCount: number;
  unknownCount: number;
  newCount: number;
  requests: number;
  /** The sweep read every call of the window, so every unseen number is idle. */
  sweepCovered: boolean;
}

export type UsageCheck = UsageResult | { status: 'skipped'; reason: string };

/** What the check found out so far: the newest call per number (by canonical E.164). */
interface Evidence {
  window: { start: number; end: number; query: Pick<CallsQuery, 'startDate' | 'endDate'> };
  lastCall: Map<string, string | null>;
  idle: Set<string>;
  spent: number;
  /** Requests set aside for probes under way. */
  held: number;
  budget: number;
}

/** Active (or status-less, as for unrouted): a number that is not rented any more costs nothing. */
export function isUsageCheckable(n: Pick<PhoneNumber, 'status'>): boolean {
  return !isNotActive(n as PhoneNumber);
}

export async function checkUsage(
  numbers: readonly PhoneNumber[],
  lister: CallLister,
  options: UsageOptions,
): Promise<UsageResult> {
  return finishUsage(numbers, lister, newEvidence(options), options);
}

/** A usage check whose first sweep page is asked for now, before the numbers are known. */
export interface StartedUsageCheck {
  finish(numbers: readonly PhoneNumber[]): Promise<UsageResult>;
}

/**
 * Starts a check while the numbers are still being listed: page 1 of the sweep does not depend on
 * them, so its round trip overlaps the listing. It counts against the budget even if the numbers
 * turn out to need no sweep.
 */
export function startUsageCheck(lister: CallLister, options: UsageOptions): StartedUsageCheck {
  const ev = newEvidence(options);
  if (sweepBudgetOf(ev) === 0) return { finish: (numbers) => finishUsage(numbers, lister, ev, options) };
  ev.spent += 1;
  const first = lister.listCalls(firstSweepQuery(ev), { ...deadlineOption(options.deadline), signal: options.signal });
  // Awaited by finish(); until then a failure must not surface as an unhandled rejection.
  first.catch(() => undefined);
  return { finish: (numbers) => finishUsage(numbers, lister, ev, options, first) };
}

function newEvidence(options: UsageOptions): Evidence {
  const end = options.now.getTime();
  const start = end - options.windowDays * DAY_MS;
  return {
    window: {
      start,
      end,
      query: { startDate: new Date(start).toISOString(), endDate: new Date(end).toISOString() },
    },
    lastCall: new Map(),
    idle: new Set(),
    spent: 0,
    held: 0,
    budget: Math.max(0, Math.floor(options.budget)),
  };
}

async function finishUsage(
  numbers: readonly PhoneNumber[],
  lister: CallLister,
  ev: Evidence,
  options: UsageOptions,
  firstPage?: Promise<CallsPage>,
): Promise<UsageResult> {
  const checked = numbers.filter(isUsageCheckable);
  const covered = await sweep(lister, ev, checked, { deadline: options.deadline, firstPage });
  const isNew = (n: PhoneNumber) => createdAfter(n.createdAt, ev.window.start);
  // Covered: every checked number not seen called is idle (summarize says so without a set of them).
  if (!covered) {
    const unseen = mostExpensiveFirst(checked.filter((n) => !ev.lastCall.has(n.phoneNumber) && !isNew(n)));
    await probeAll(lister, ev, unseen, options.deadline);
  }
  return summarize(numbers, ev, { options, covered, isNew });
}

function sweepBudgetOf(ev: Evidence): number {
  return Math.ceil(ev.budget * SWEEP_BUDGET_SHARE);
}

function firstSweepQuery(ev: Evidence): CallsQuery {
  return { ...ev.window.query, page: 1, limit: SWEEP_PAGE_SIZE };
}

function deadlineOption(deadline: number | undefined): { deadline?: number } {
  return deadline === undefined ? {} : { deadline };
}

/**
 * Newest first through the window until every number was seen, the list ends or the sweep's budget
 * is spent. `firstPage`: page 1, already asked for (and counted) by startUsageCheck.
 */
async function sweep(
  lister: CallLister,
  ev: Evidence,
  checked: readonly PhoneNumber[],
  { deadline, firstPage }: { deadline?: number; firstPage?: Promise<CallsPage> },
): Promise<boolean> {
  const sweepBudget = sweepBudgetOf(ev);
  let read = 0;
  // A call in the window whose numbers cannot be read could be any number's: the sweep then proves
  // nothing idle, and the probes (which ask per number) decide.
  let unreadable = false;
  const nextPage = (page: number): Promise<CallsPage> | undefined => {
    if (page === 1 && firstPage) return firstPage;
    if (ev.spent >= sweepBudget) return undefined;
    ev.spent += 1;
    return lister.listCalls({ ...firstSweepQuery(ev), page }, deadlineOption(deadline));
  };
  // Made once a call is met: an empty window (no calls at all) needs no set of tens of thousands.
  let phones: Set<string> | undefined;
  const phonesOf = () => {
    phones ??= new Set(checked.map((n) => n.phoneNumber));
    return phones;
  };
  // Before any call is seen, some number is unseen exactly when there is a number at all.
  for (let page = 1; ev.lastCall.size === 0 ? checked.length > 0 : ev.lastCall.size < phonesOf().size; page++) {
    const pending = nextPage(page);
    if (pending === undefined) return false;
    const got = await pending;
    read += got.calls.length;
    for (const call of got.calls) {
      const at = inWindow(call, ev);
      if (at === undefined) continue;
      if (call.to === null && call.from === null) unreadable = true;
      for (const raw of [call.to, call.from]) {
        const p = raw === null ? null : canonicalE164(raw);
        if (p !== null && phonesOf().has(p)) see(ev, p, at);
      }
    }
    if (listEnded(got, page, read)) return !unreadable;
  }
  return false;
}

/**
 * Only an empty page or the server's own count proves the end: a short page could be a server
 * that caps `limit` lower than asked.
 */
function listEnded(got: CallsPage, page: number, read: number): boolean {
  if (got.calls.length === 0) return true;
  if (got.totalPages !== null && page >= got.totalPages) return true;
  return got.total !== null && read >= got.total;
}

/** The call's time when it may lie in the window (null: no time given), undefined when it is outside. */
function inWindow(call: CallRecord, ev: Evidence): string | null | undefined {
  if (call.at === null) return null;
  const t = Date.parse(call.at);
  if (Number.isNaN(t)) return null;
  return t >= ev.window.start && t <= ev.window.end ? call.at : undefined;
}

function see(ev: Evidence, phone: string, at: string | null): void {
  const before = ev.lastCall.get(phone);
  if (before === undefined || (at !== null && (before === null || Date.parse(at) > Date.parse(before)))) {
    ev.lastCall.set(phone, at);
  }
}

async function probeAll(lister: CallLister, ev: Evidence, queue: PhoneNumber[], deadline?: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    // Both probes are held before a number is taken, so concurrent workers cannot spend the
    // budget of a dearer number on a cheaper one.
    while (next < queue.length && ev.budget - ev.spent - ev.held >= 2) {
      const n = queue[next++];
      ev.held += 2;
      try {
        await probe(lister, ev, n.phoneNumber, deadline);
      } finally {
        ev.held -= 2;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PROBE_CONCURRENCY, queue.length) }, worker));
}

/** `to=` then `from=`: used, idle (both empty) or left unknown. */
async function probe(lister: CallLister, ev: Evidence, phone: string, deadline?: number): Promise<void> {
  for (const direction of ['to', 'from'] as const) {
    ev.spent += 1;
    const got = await lister.listCalls(
      { ...ev.window.query, page: 1, limit: 1, [direction]: phone },
      deadline === undefined ? {} : { deadline },
    );
    if (got.calls.length > 0) {
      const match = got.calls.find((c) => c[direction] !== null && canonicalE164(c[direction] ?? '') === phone);
      const at = match === undefined ? undefined : inWindow(match, ev);
      // A call that is not this number's, or outside the window: the server ignored a filter, so
      // the answer proves nothing either way.
      if (at !== undefined) see(ev, phone, at);
      return;
    }
  }
  ev.idle.add(phone);
}

function createdAfter(createdAt: string | null, start: number): boolean {
  if (createdAt === null) return false;
  const t = Date.parse(createdAt);
  return !Number.isNaN(t) && t > start;
}

/** Most expensive first (unknown cost last), then the usual order; each cost turned into cents once. */
function mostExpensiveFirst(numbers: readonly PhoneNumber[]): PhoneNumber[] {
  if (!inUsualOrder(numbers)) {
    const cents = numbers.map(centsOrLast);
    const order = Array.from(numbers.keys());
    order.sort((a, b) => cents[b] - cents[a] || compareByCountryThenNumber(numbers[a], numbers[b]));
    return order.map((i) => numbers[i]);
  }
  // Already in the usual order (as listed): grouped by cost, each group keeps that order. A
  // workspace has a handful of prices, so this is one pass instead of a sort of tens of thousands.
  const byCents = new Map<number, PhoneNumber[]>();
  for (const n of numbers) {
    const cents = centsOrLast(n);
    const group = byCents.get(cents);
    if (group === undefined) byCents.set(cents, [n]);
    else group.push(n);
  }
  const costs = [...byCents.keys()].sort((a, b) => b - a);
  return costs.flatMap((cents) => byCents.get(cents) ?? []);
}

/** A number's monthly cost in cents; -1 (after every known cost) when unknown. */
function centsOrLast(n: PhoneNumber): number {
  return n.monthlyCostUsd === null ? -1 : toCents(n.monthlyCostUsd);
}

function inUsualOrder(numbers: readonly PhoneNumber[]): boolean {
  for (let i = 1; i < numbers.length; i++) if (compareByCountryThenNumber(numbers[i - 1], numbers[i]) > 0) return false;
  return true;
}

/** Shared by every number in one of these states: a workspace has tens of thousands. */
const WITHOUT_CALL: Readonly<Record<Exclude<UsageState, 'used'>, NumberUsage>> = Object.freeze({
  idle: Object.freeze({ state: 'idle', lastCallAt: null }),
  unknown: Object.freeze({ state: 'unknown', lastCallAt: null }),
  new: Object.freeze({ state: 'new', lastCallAt: null }),
  not_checked: Object.freeze({ state: 'not_checked', lastCallAt: null }),
});

function summarize(
  numbers: readonly PhoneNumber[],
  ev: Evidence,
  { options, covered, isNew }: { options: UsageOptions; covered: boolean; isNew: (n: PhoneNumber) => boolean },
): UsageResult {
  const byNumber = new Map<PhoneNumber, NumberUsage>();
  const found: PhoneNumber[] = [];
  const counts = { used: 0, unknown: 0, new: 0 };
  for (const n of numbers) {
    const usage = usageOf(n, ev, covered, isNew);
    byNumber.set(n, usage);
    if (usage.state === 'idle') found.push(n);
    else if (usage.state !== 'not_checked') counts[usage.state] += 1;
  }
  const idle = mostExpensiveFirst(found);
  const cents = idle.reduce((sum, n) => sum + (n.monthlyCostUsd === null ? 0 : toCents(n.monthlyCostUsd)), 0);
  return {
    status: 'checked',
    windowDays: options.windowDays,
    checkedAt: ev.window.query.endDate,
    windowStart: ev.window.query.startDate,
    byNumber,
    idle,
    idleMonthly: cents / 100,
    usedCount: counts.used,
    unknownCount: counts.unknown,
    newCount: counts.new,
    requests: ev.spent,
    sweepCovered: covered,
  };
}

function usageOf(n: PhoneNumber, ev: Evidence, covered: boolean, isNew: (n: PhoneNumber) => boolean): NumberUsage {
  if (!isUsageCheckable(n)) return WITHOUT_CALL.not_checked;
  const last = ev.lastCall.get(n.phoneNumber);
  if (last !== undefined) return { state: 'used', lastCallAt: last };
  if (isNew(n)) return WITHOUT_CALL.new;
  return covered || ev.idle.has(n.phoneNumber) ? WITHOUT_CALL.idle : WITHOUT_CALL.unknown;
}
