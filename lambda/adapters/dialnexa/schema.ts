// Edge validation of DialNexa responses. Raw JSON stops here: callers get typed pages and
// NumberRecords. Envelopes are checked strictly (a bad one is a malformed page, retried);
// records leniently (only `id` and an E.164 `phone_number` are required).
import { apiText, boundText, UNREADABLE_ID, withoutControls } from '../../core/api-text';
import { dict } from '../../core/dict';
import * as z from 'zod';
import type { NumberRecord } from '../../core/types';

/** A count the API may write as a number or a numeric string; null/absent mean "not said". */
export const count = z
  .union([
    z.number(),
    z
      .string()
      .regex(/^\s*\d+\s*$/)
      .transform(Number),
  ])
  .pipe(z.number().int().nonnegative())
  .nullish();

const dataMetaEnvelope = z.looseObject({
  data: z.array(z.unknown()),
  meta: z.looseObject({ page: count, limit: count, total: count, totalPages: count }).nullish(),
});

const itemsTotalEnvelope = z.looseObject({
  items: z.array(z.unknown()),
  total: count,
  page: count,
  limit: count,
  totalPages: count,
});

export interface PageEnvelope {
  rawRecords: unknown[];
  /** What the page says about itself; null when the server did not say. */
  page: number | null;
  limit: number | null;
  total: number | null;
  totalPages: number | null;
}

/** Thrown for a 200 whose body is not JSON or not a known envelope (the caller retries it). */
export class MalformedBodyError extends Error {
  /**
   * `body`: the start of an unreadable body, for a preview. It is shown only after the key has
   * been redacted from it and then cut (cutting first could leave part of an echoed key whole).
   */
  constructor(
    detail: string,
    readonly body?: { bytes: number; start: string },
  ) {
    super(detail);
    this.name = 'MalformedBodyError';
  }

  /**
   * The detail with a preview of the body: cleaned first (a zero-width mark between key characters
   * would hide the key from redaction), then redacted, then cut.
   */
  describe(redact: (text: string) => string): string {
    if (!this.body) return this.message;
    const clean = redact(withoutControls(this.body.start));
    const preview = clean.length > BODY_PREVIEW_CHARS ? `${clean.slice(0, BODY_PREVIEW_CHARS)}...` : clean;
    return `${this.message} (${this.body.bytes} bytes: ${JSON.stringify(preview)})`;
  }
}

/** Characters of an unreadable body shown in an error. */
const BODY_PREVIEW_CHARS = 60;
/** Characters kept to make that preview: enough for a whole key past the preview's end. */
const BODY_PREVIEW_SOURCE_CHARS = 4096;

export function parseJsonBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new MalformedBodyError('the body is not valid JSON', {
      bytes: text.length,
      start: text.slice(0, BODY_PREVIEW_SOURCE_CHARS),
    });
  }
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? i.path.join('.') : 'body'}: ${i.message}`)
    .join('; ');
}

export function parsePageEnvelope(body: unknown): PageEnvelope {
  if (body !== null && typeof body === 'object' && 'data' in body) {
    const r = dataMetaEnvelope.safeParse(body);
    if (!r.success) throw new MalformedBodyError(`unexpected {data, meta} page: ${describeIssues(r.error)}`);
    const meta = r.data.meta ?? {};
    return {
      rawRecords: r.data.data,
      page: meta.page ?? null,
      limit: meta.limit ?? null,
      total: meta.total ?? null,
      totalPages: meta.totalPages ?? null,
    };
  }
  if (body !== null && typeof body === 'object' && 'items' in body) {
    const r = itemsTotalEnvelope.safeParse(body);
    if (!r.success) throw new MalformedBodyError(`unexpected {items, total} page: ${describeIssues(r.error)}`);
    return {
      rawRecords: r.data.items,
      page: r.data.page ?? null,
      limit: r.data.limit ?? null,
      total: r.data.total ?? null,
      totalPages: r.data.totalPages ?? null,
    };
  }
  throw new MalformedBodyError('the page has neither a "data" nor an "items" array');
}

const STRING_FIELDS = [
  'country_code',
  'type',
  'status',
  'rental_status',
  'inbound_agent_id',
  'agent_id',
  'nickname',
  'label',
  'provider',
  'created_at',
] as const;
type StringField = (typeof STRING_FIELDS)[number];

/** What normalize's canonicalE164 strips: human formatting around the digits. */
const PHONE_FORMATTING = /[\s\-.()/]/g;

/**
 * Null when the value reads as E.164 once trimmed, stripped of formatting and with a `00` prefix
 * read as `+` (the tolerance normalize applies); else what is wrong with it.
 */
function e164Problem(raw: string): string | null {
  let compact = raw.trim().replace(PHONE_FORMATTING, '');
  if (compact.startsWith('00')) compact = `+${compact.slice(2)}`;
  if (!compact.startsWith('+')) return 'does not start with "+"';
  return /^\+[1-9]\d{1,14}$/.test(compact) ? null : 'is not an E.164 number (a "+", then 2 to 15 digits)';
}

/** Characters of a rejected record's id quoted in the listing's incomplete reason. */
const REJECTED_ID_MAX_CHARS = 60;

export type RecordResult = { ok: true; record: NumberRecord } | { ok: false; id: string | null; problem: string };

/**
 * Converts one raw record. Known fields with an unexpected type (an object where a string was
 * documented) are not trusted as that field; their raw value is kept in `extra` instead of lost.
 */
export function toNumberRecord(raw: unknown): RecordResult {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, id: null, problem: 'the record is not an object' };
  }
  const src = raw as Record<string, unknown>;
  const id = typeof src.id === 'string' && src.id.trim() !== '' ? src.id : null;
  if (id === null) return { ok: false, id: null, problem: 'it has no string "id"' };
  // The id of a rejected record is quoted in the report: cleaned and bounded like any API text.
  const shownId = boundText(apiText(id) ?? UNREADABLE_ID, REJECTED_ID_MAX_CHARS);
  const phone = src.phone_number;
  if (typeof phone !== 'string') return { ok: false, id: shownId, problem: 'it has no string "phone_number"' };
  const phoneProblem = e164Problem(phone);
  if (phoneProblem !== null) {
    const shown = JSON.stringify(boundText(withoutControls(phone), 30));
    return { ok: false, id: shownId, problem: `its "phone_number" ${shown} ${phoneProblem}` };
  }

  const record: NumberRecord = { id, phone_number: phone.trim() };
  const extra = dict<unknown>();
  const known = new Set<string>(['id', 'phone_number', 'monthly_cost_usd', ...STRING_FIELDS]);

  for (const field of STRING_FIELDS) {
    if (!(field in src)) continue;
    const value = src[field];
    if (value === null || value === undefined) record[field as StringField] = null;
    else if (typeof value === 'string') record[field as StringField] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') record[field as StringField] = String(value);
    else extra[field] = value;
  }
  if ('monthly_cost_usd' in src) {
    const cost = src.monthly_cost_usd;
    if (cost === null || cost === undefined) record.monthly_cost_usd = null;
    else if (typeof cost === 'string' || (typeof cost === 'number' && Number.isFinite(cost)))
      record.monthly_cost_usd = cost;
    else extra.monthly_cost_usd = cost;
  }
  for (const [key, value] of Object.entries(src)) {
    if (!known.has(key)) extra[key] = value;
  }
  record.extra = extra;
  return { ok: true, record };
}

const agentsEnvelope = z.looseObject({
  agents: z.array(
    z.looseObject({
      id: z.string().min(1),
      current_version: z.looseObject({ title: z.string().nullish() }).nullish(),
      // Lenient: a folder id of another type is not trusted as one, and never fails the list.
      folder_id: z.unknown().optional(),
    }),
  ),
});

export interface AgentSummary {
  id: string;
  name: string | null;
  folderId: string | null;
}

export function parseAgents(body: unknown): AgentSummary[] {
  const r = agentsEnvelope.safeParse(body);
  if (!r.success) throw new MalformedBodyError(`unexpected agents list: ${describeIssues(r.error)}`);
  return r.data.agents.map((a) => ({
    id: a.id,
    name: a.current_version?.title?.trim() || null,
    folderId: typeof a.folder_id === 'string' && a.folder_id.trim() !== '' ? a.folder_id : null,
  }));
}

const foldersEnvelope = z.looseObject({
  folders: z.array(z.looseObject({ id: z.string().min(1), name: z.string().nullish() })),
  page: count,
  limit: count,
});

export interface FolderPage {
  folders: Array<{ id: string; name: string | null }>;
  /** The page size the server used, when it says. */
  limit: number | null;
}

export function parseFolders(body: unknown): FolderPage {
  const r = foldersEnvelope.safeParse(body);
  if (!r.success) throw new MalformedBodyError(`unexpected folders page: ${describeIssues(r.error)}`);
  return { folders: r.data.folders.map((f) => ({ id: f.id, name: f.name ?? null })), limit: r.data.limit ?? null };
}

/** The `message` of DialNexa's error envelope (string or string[]), or null. */
export function errorMessageOf(text: string): string | null {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return null;
  }
  if (body === null || typeof body !== 'object') return null;
  const message = (body as { message?: unknown }).message;
  if (typeof message === 'string' && message.trim() !== '') return message.trim();
  if (Array.isArray(message)) {
    const parts = message.filter((m): m is string => typeof m === 'string' && m.trim() !== '');
    if (parts.length) return parts.join('; ');
  }
  return null;
}
