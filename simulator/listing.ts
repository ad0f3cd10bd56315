// GET /v1/organization-phone-numbers: query validation, filters, paging and the two envelopes.
import type { Envelope, SimRecord } from './types';
import { canonicalType, readNumber } from './numbering';

export const DEFAULT_LIMIT = 20;

export interface ListQuery {
  page: number;
  limit: number;
  countryCode?: string;
  type?: string;
}

export type ParsedQuery = { ok: true; value: ListQuery } | { ok: false; messages: string[] };

function positiveInt(raw: string | undefined, name: string, fallback: number, errors: string[]): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < 1) {
    errors.push(`${name} must be a positive integer`);
    return fallback;
  }
  return Number(raw);
}

export function parseListQuery(query: Record<string, string>, maxLimit: number): ParsedQuery {
  const errors: string[] = [];
  const page = positiveInt(query.page, 'page', 1, errors);
  const limit = Math.min(positiveInt(query.limit, 'limit', DEFAULT_LIMIT, errors), maxLimit);
  if (errors.length > 0) return { ok: false, messages: errors };
  const value: ListQuery = { page, limit };
  if (query.country_code) value.countryCode = query.country_code.trim().toUpperCase();
  if (query.type) value.type = canonicalType(query.type);
  return { ok: true, value };
}

/** What the record says, else what the number says: the simulator's single notion of country. */
export function countryOf(rec: SimRecord): string | undefined {
  const cc = rec.country_code;
  if (typeof cc === 'string' && cc.trim() !== '') return cc.trim().toUpperCase();
  return readNumber(rec.phone_number).country;
}

export function typeOf(rec: SimRecord): string | undefined {
  const t = rec.type;
  if (typeof t === 'string' && t.trim() !== '') return canonicalType(t);
  return readNumber(rec.phone_number).type;
}

export function filterRecords(records: readonly SimRecord[], q: ListQuery): readonly SimRecord[] {
  // No filter: the records themselves, not a copy of the whole portfolio for every page asked for.
  if (q.countryCode === undefined && q.type === undefined) return records;
  return records.filter(
    (r) =>
      (q.countryCode === undefined || countryOf(r) === q.countryCode) && (q.type === undefined || typeOf(r) === q.type),
  );
}

/** How a broken server answers: `ignorePage` serves page 1's records but echoes the requested page. */
export interface Quirks {
  ignorePage: boolean;
  ignoreFilters: boolean;
}

export function pageBody(records: readonly SimRecord[], q: ListQuery, envelope: Envelope, quirks: Quirks): unknown {
  const { ignorePage, ignoreFilters } = quirks;
  const matching = ignoreFilters ? records : filterRecords(records, q);
  const served = ignorePage ? 1 : q.page;
  const items = matching.slice((served - 1) * q.limit, served * q.limit);
  const total = matching.length;
  if (envelope === 'items-total') return { items, total, page: q.page, limit: q.limit };
  return { data: items, meta: { page: q.page, limit: q.limit, total, totalPages: Math.ceil(total / q.limit) } };
}
