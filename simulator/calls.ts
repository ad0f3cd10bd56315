// GET /v1/calls: filters, paging (newest first, `limit` at most 200) and a seeded call history in
// which some numbers are idle, some used only outbound and some only long ago.
import { base36, mulberry32, pick, randInt, shuffled } from './prng';
import type { SimCall, SimRecord } from './types';

export const CALLS_MAX_LIMIT = 200;
const DAY_MS = 86_400_000;

export interface CallsQuery {
  page: number;
  limit: number;
  to?: string;
  from?: string;
  direction?: string;
  start?: number;
  end?: number;
}

export type ParsedCallsQuery = { ok: true; value: CallsQuery } | { ok: false; messages: string[] };

function digits(phone: string): string {
  return phone.replace(/[^\d]/g, '');
}

function instant(raw: string | undefined, name: string, errors: string[]): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const t = Date.parse(raw);
  if (Number.isNaN(t)) errors.push(`${name} must be an ISO 8601 date`);
  return Number.isNaN(t) ? undefined : t;
}

export function parseCallsQuery(query: Record<string, string>): ParsedCallsQuery {
  const errors: string[] = [];
  const int = (raw: string | undefined, name: string, fallback: number) => {
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw.trim()) || Number(raw) < 1) errors.push(`${name} must be a positive integer`);
    return Number(raw) || fallback;
  };
  const value: CallsQuery = {
    page: int(query.page, 'page', 1),
    limit: Math.min(int(query.limit, 'limit', 20), CALLS_MAX_LIMIT),
    to: query.to,
    from: query.from,
    direction: query.call_direction,
    start: instant(query.start_date, 'start_date', errors),
    end: instant(query.end_date, 'end_date', errors),
  };
  return errors.length ? { ok: false, messages: errors } : { ok: true, value };
}

/** The fields of a call whatever their spelling (the history uses every variant). */
export function callFacts(c: SimCall): { to: string; from: string; at: number; direction: string } {
  const at = c.createdAt ?? c.created_at ?? c.start_timestamp;
  return {
    to: String(c.to_number ?? c.to ?? ''),
    from: String(c.from_number ?? c.from ?? ''),
    at: typeof at === 'number' ? at : Date.parse(String(at)),
    direction: String(c.call_direction ?? ''),
  };
}

/** A call with its facts read once, so a history of 100k+ calls is cheap to filter per request. */
export interface IndexedCall {
  call: SimCall;
  to: string;
  from: string;
  at: number;
  direction: string;
}

/** The history newest first, facts read once. */
export function indexCalls(calls: readonly SimCall[]): IndexedCall[] {
  return calls
    .map((call) => {
      const f = callFacts(call);
      return { call, to: digits(f.to), from: digits(f.from), at: f.at, direction: f.direction };
    })
    .sort((a, b) => b.at - a.at);
}

export function callsBody(calls: readonly IndexedCall[], q: CallsQuery): unknown {
  const to = q.to === undefined ? undefined : digits(q.to);
  const from = q.from === undefined ? undefined : digits(q.from);
  const matching = calls.filter(
    (c) =>
      (to === undefined || c.to === to) &&
      (from === undefined || c.from === from) &&
      (q.direction === undefined || c.direction === q.direction) &&
      (q.start === undefined || c.at >= q.start) &&
      (q.end === undefined || c.at <= q.end),
  );
  const data = matching.slice((q.page - 1) * q.limit, q.page * q.limit).map((c) => c.call);
  const total = matching.length;
  return { data, meta: { page: q.page, limit: q.limit, total, totalPages: Math.ceil(total / q.limit) } };
}

export interface CallHistoryOptions {
  seed: number;
  /** The history ends here (epoch ms). */
  now: number;
  /** Share of active numbers with no call at all (default 0.1). */
  idleRatio?: number;
  /** Share used only outbound (default 0.05). */
  outboundOnlyRatio?: number;
  /** Share called only 40-120 days ago (default 0.05). */
  longAgoRatio?: number;
  /** Calls per used number in the last 30 days, at most (default 6). */
  maxCallsPerNumber?: number;
}

const OUTSIDE = ['+14155550123', '+442079460123', '+919810012345', '+61291234567'];

/** One call in one of the spellings the API's examples use. */
function spelled(i: number, id: string, to: string, from: string, at: number, direction: string): SimCall {
  switch (i % 3) {
    case 0:
      return { id, to_number: to, from_number: from, call_direction: direction, createdAt: new Date(at).toISOString() };
    case 1:
      return { id, to, from, call_direction: direction, created_at: new Date(at).toISOString() };
    default:
      return { id, to_number: to, from_number: from, call_direction: direction, start_timestamp: at };
  }
}

/**
 * Calls for the active numbers of `records`: exactly round(n * ratio) of them idle, outbound only
 * and long ago each (which ones is the seed's choice); the rest get 1..max calls in 30 days.
 */
export function generateCallHistory(records: readonly SimRecord[], options: CallHistoryOptions): SimCall[] {
  const rng = mulberry32(options.seed ^ 0x2c1b3c6d);
  const active = records.filter((r) => (r.status ?? 'active') === 'active' && r.rental_status !== 'expired');
  const order = shuffled(rng, active);
  const cut = (ratio: number | undefined, fallback: number) => Math.round(active.length * (ratio ?? fallback));
  const idle = cut(options.idleRatio, 0.1);
  const outbound = idle + cut(options.outboundOnlyRatio, 0.05);
  const longAgo = outbound + cut(options.longAgoRatio, 0.05);
  const calls: SimCall[] = [];
  order.forEach((r, i) => {
    if (i < idle) return;
    const n = i < outbound || i >= longAgo ? randInt(rng, 1, options.maxCallsPerNumber ?? 6) : 1;
    for (let k = 0; k < n; k++) {
      const daysAgo = i >= outbound && i < longAgo ? randInt(rng, 40, 120) : rng() * 29.5;
      const at = Math.floor(options.now - daysAgo * DAY_MS);
      const other = pick(rng, OUTSIDE);
      const out = i < outbound || rng() < 0.3;
      const [to, from] = out ? [other, r.phone_number] : [r.phone_number, other];
      calls.push(spelled(calls.length, `call_${base36(rng, 10)}`, to, from, at, out ? 'outbound' : 'inbound'));
    }
  });
  return calls;
}
