// GET /v1/calls: one page of calls, through the same rate limiter, retries and key handling as the
// listing. Its published schema only promises `id`, so every other field is read from whichever
// spelling is present, and a call whose fields cannot be read still counts as a call.
import * as z from 'zod';
import { apiText } from '../../core/api-text';
import type { CallRecord, CallsPage, CallsQuery, ReadOptions } from '../../core/ports';
import { forbidden } from './failures';
import type { ListingSettings } from './listing';
import { getJson } from './request';
import { count, MalformedBodyError, parseJsonBody } from './schema';
import { sideRead } from './side-read';

export const CALLS_PATH = '/v1/calls';

/** Spellings seen in the docs' examples and in the number records' style, first found wins. */
const TO_FIELDS = ['to_number', 'to', 'toNumber', 'to_phone_number'] as const;
const FROM_FIELDS = ['from_number', 'from', 'fromNumber', 'from_phone_number'] as const;
const TIME_FIELDS = [
  'createdAt',
  'created_at',
  'start_timestamp',
  'startTimestamp',
  'started_at',
  'start_time',
] as const;

const dataMeta = z.looseObject({
  data: z.array(z.unknown()),
  meta: z.looseObject({ total: count, totalPages: count, total_pages: count }).nullish(),
});
const itemsTotal = z.looseObject({ items: z.array(z.unknown()), total: count, totalPages: count });
const callsTotal = z.looseObject({ calls: z.array(z.unknown()), total: count, totalPages: count });

/** Any of the list envelopes the API uses, or a bare array; anything else is malformed (retried). */
export function parseCallsPage(body: unknown): CallsPage {
  if (Array.isArray(body)) return { calls: body.map(toCallRecord), total: null, totalPages: null };
  const d = dataMeta.safeParse(body);
  if (d.success) {
    const m = d.data.meta ?? {};
    const totalPages = m.totalPages ?? m.total_pages ?? null;
    return { calls: d.data.data.map(toCallRecord), total: m.total ?? null, totalPages };
  }
  const i = itemsTotal.safeParse(body);
  if (i.success)
    return {
      calls: i.data.items.map(toCallRecord),
      total: i.data.total ?? null,
      totalPages: i.data.totalPages ?? null,
    };
  const c = callsTotal.safeParse(body);
  if (c.success)
    return {
      calls: c.data.calls.map(toCallRecord),
      total: c.data.total ?? null,
      totalPages: c.data.totalPages ?? null,
    };
  throw new MalformedBodyError('unexpected calls list: no "data", "items" or "calls" array');
}

function field(src: Record<string, unknown>, names: readonly string[]): unknown {
  for (const name of names) if (src[name] !== undefined && src[name] !== null) return src[name];
  return undefined;
}

/** Epoch seconds or milliseconds, or a date string; null when it reads as no instant. */
function isoTime(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) {
    return new Date(value < 1e12 ? value * 1000 : value).toISOString();
  }
  if (typeof value !== 'string') return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

export function toCallRecord(raw: unknown): CallRecord {
  const src = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const text = (v: unknown) => (typeof v === 'string' ? apiText(v) : null);
  return { to: text(field(src, TO_FIELDS)), from: text(field(src, FROM_FIELDS)), at: isoTime(field(src, TIME_FIELDS)) };
}

export async function listCallsPage(
  settings: ListingSettings,
  query: CallsQuery,
  options: ReadOptions = {},
): Promise<CallsPage> {
  return sideRead(settings, options, 'reading calls', (scope) =>
    getJson(settings, scope, {
      path: CALLS_PATH,
      query: {
        start_date: query.startDate,
        end_date: query.endDate,
        page: String(query.page),
        limit: String(query.limit),
        to: query.to,
        from: query.from,
      },
      what: query.to || query.from ? `the calls of ${query.to ?? query.from}` : `calls page ${query.page}`,
      parse: (text) => parseCallsPage(parseJsonBody(text)),
      forbidden: forbidden(settings.keySource.description, 'read calls', 'read access to calls'),
    }),
  );
}
