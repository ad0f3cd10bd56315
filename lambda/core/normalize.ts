// Turns validated API records into the audit's PhoneNumber: one country, one canonical type, one
// effective status, one agent id. Pure: the numbering-plan metadata is the only input besides the record.
import { apiText, boundText, cleanApiText, UNREADABLE_ID } from './api-text';
import { isPlusDigits } from './e164';
import { type PlanFacts, planFacts } from './numbering-plan';
import {
  UNKNOWN_COUNTRY,
  type Agent,
  type Folder,
  type KnownNumberType,
  type NumberRecord,
  type PhoneNumber,
  type UntruncatedText,
} from './types';

const TYPE_SPELLINGS: Readonly<Record<string, KnownNumberType>> = {
  local: 'local',
  fixed: 'local',
  fixed_line: 'local',
  geographic: 'local',
  toll_free: 'toll_free',
  'toll-free': 'toll_free',
  tollfree: 'toll_free',
  'toll free': 'toll_free',
  mobile: 'mobile',
  cell: 'mobile',
};

/**
 * Crown-dependency policy: libphonenumber files some +44 ranges under GG, JE or IM (for example
 * the +44 7911 mobiles go to Guernsey), yet providers sell and bill every +44 number as UK. So a
 * country we DERIVE as GG/JE/IM for a +44 number is grouped as GB. A GG/JE/IM the API states
 * itself is kept: the API knows what it sold.
 */
const CROWN_DEPENDENCIES = new Set(['GG', 'JE', 'IM']);

/** Strict non-negative decimal, e.g. `1.15`; rejects `1e3`, `-1`, `1,15`, `$1`. */
const COST_PATTERN = /^\s*\d+(\.\d+)?\s*$/;

/** Cleaned (no controls, no bidi or zero-width marks), trimmed, non-empty, bounded; else null. */
const text = apiText;

/**
 * The API promises E.164; tolerate the usual human formatting (spaces, dashes, dots, brackets,
 * a `00` international prefix) so one badly formatted record still groups with its country.
 */
export function canonicalE164(raw: string): string {
  // Nearly every number arrives canonical: return it as is, without the trim and replace copies.
  if (isPlusDigits(raw)) return raw;
  let digits = raw.trim().replace(/[\s\-.()/]/g, '');
  if (digits.startsWith('00')) digits = `+${digits.slice(2)}`;
  return digits.startsWith('+') ? digits : `+${digits}`;
}

/**
 * `value` in lower case; the value itself when it has nothing to lower (ASCII without A-Z), as
 * toLowerCase copies even then and most statuses and types are already lower case.
 */
function lowerCase(value: string): string {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c > 0x7f || (c >= 0x41 && c <= 0x5a)) return value.toLowerCase();
  }
  return value;
}

/** Two ASCII capitals: toUpperCase would copy them unchanged. */
function isTwoCapitals(value: string): boolean {
  if (value.length !== 2) return false;
  const a = value.charCodeAt(0);
  const b = value.charCodeAt(1);
  return a >= 0x41 && a <= 0x5a && b >= 0x41 && b <= 0x5a;
}

/** The country the API states: two letters once cleaned and upper-cased; else null. */
function statedCountry(record: NumberRecord): string | null {
  const cleaned = text(record.country_code);
  if (cleaned === null || isTwoCapitals(cleaned)) return cleaned;
  const given = cleaned.toUpperCase();
  return /^[A-Z]{2}$/.test(given) ? given : null;
}

/** The country the numbering plan gives, crown dependencies of +44 grouped as GB; else null. */
function derivedCountry(parsed: PlanFacts | undefined): string | null {
  const derived = parsed?.country;
  if (!derived) return null;
  return parsed.countryCallingCode === '44' && CROWN_DEPENDENCIES.has(derived) ? 'GB' : derived;
}

/** Canonical type for an API spelling; null when the spelling is absent or not recognised. */
export function canonicalType(spelling: string | null | undefined): KnownNumberType | null {
  const cleaned = text(spelling);
  const key = cleaned === null ? null : lowerCase(cleaned);
  // Own keys only: a type spelled "__proto__" or "constructor" must not find Object.prototype's.
  return key && Object.hasOwn(TYPE_SPELLINGS, key) ? TYPE_SPELLINGS[key] : null;
}

/**
 * Type from the numbering plan. FIXED_LINE_OR_MOBILE is what every US/CA number returns (NANP
 * does not separate them); DialNexa sells those as local DIDs, so they count as local.
 */
function inferType(parsed: PlanFacts | undefined): KnownNumberType | null {
  switch (parsed?.type()) {
    case 'FIXED_LINE':
    case 'FIXED_LINE_OR_MOBILE':
      return 'local';
    case 'MOBILE':
      return 'mobile';
    case 'TOLL_FREE':
      return 'toll_free';
    default:
      return null;
  }
}

/**
 * A rental that is not active (e.g. `expired`) overrides `status`. A lone `rental_status: active`
 * still counts as the API saying "active", so status stays null only when the API said nothing.
 */
function effectiveStatus(record: NumberRecord): string | null {
  const rentalText = cleanApiText(record.rental_status);
  const rental = rentalText === null ? null : lowerCase(rentalText);
  if (rental && rental !== 'active') return rental;
  const status = cleanApiText(record.status);
  return status === null ? rental : lowerCase(status);
}

/** A cleaned value as displayed: cut to the bound. */
function shown(cleaned: string | null): string | null {
  return cleaned === null ? null : boundText(cleaned);
}

function isCut(cleaned: string | null): cleaned is string {
  return cleaned !== null && boundText(cleaned) !== cleaned;
}

/**
 * The full values of the free-text fields that display cuts, for the CSV while the message still
 * fits; undefined when none is cut. Status comes lower-cased from clean text, and lower-casing adds
 * no control or space: it is clean as it is.
 */
function untruncatedOf(nickname: string | null, provider: string | null, status: string | null) {
  let untruncated: UntruncatedText | undefined;
  if (isCut(nickname)) untruncated = { nickname };
  if (isCut(provider)) untruncated = { ...untruncated, provider };
  if (isCut(status)) untruncated = { ...untruncated, status };
  return untruncated;
}

/** Monthly cost in USD, or null when absent, unparseable, negative or not finite. */
export function parseCost(value: string | number | null | undefined): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : null;
  if (typeof value === 'string' && COST_PATTERN.test(value)) {
    // Number ignores the same surrounding whitespace the pattern allows.
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : null;
  }
  return null;
}

export function normalizeNumber(record: NumberRecord): PhoneNumber {
  return normalizeWithPlan(record, planFacts);
}

/** normalizeNumber with the numbering plan's answers from `factsOf`; the tests pass the library's own parse. */
export function normalizeWithPlan(record: NumberRecord, factsOf: (e164: string) => PlanFacts | undefined): PhoneNumber {
  const phoneNumber = canonicalE164(cleanApiText(record.phone_number) ?? '');
  const statedCode = statedCountry(record);
  const statedType = canonicalType(record.type);
  // The numbering plan is most of normalize's time; only a record missing its country or type asks it.
  const parsed = statedCode !== null && statedType !== null ? undefined : factsOf(phoneNumber);
  const derivedCode = statedCode === null ? derivedCountry(parsed) : null;
  const inferredType = statedType === null ? inferType(parsed) : null;
  const monthlyCostUsd = parseCost(record.monthly_cost_usd);
  const nickname = cleanApiText(record.nickname) ?? cleanApiText(record.label);
  const provider = cleanApiText(record.provider);
  const status = effectiveStatus(record);
  // One literal, no spreads (a third of normalize's own time at 100k records); the keys keep
  // their order, which the JSON outputs show.
  const n: PhoneNumber = {
    // Ids reach the CSV and the changes lists: cleaned and bounded like any API text.
    id: text(record.id) ?? UNREADABLE_ID,
    phoneNumber,
    countryCode: statedCode ?? derivedCode ?? UNKNOWN_COUNTRY,
    countrySource: statedCode !== null ? 'api' : derivedCode !== null ? 'derived' : 'unknown',
    type: statedType ?? inferredType ?? 'unknown',
    typeInferred: inferredType !== null,
    inboundAgentId: text(record.inbound_agent_id) ?? text(record.agent_id),
    createdAt: text(record.created_at),
    monthlyCostUsd,
    costSource: monthlyCostUsd === null ? 'unknown' : 'api',
    status: shown(status),
    nickname: shown(nickname),
    provider: shown(provider),
  };
  const untruncated = untruncatedOf(nickname, provider, status);
  if (untruncated) n.untruncated = untruncated;
  return n;
}

/** An agent's id, name and folder id are API text: cleaned and bounded like a number's agent id, so they still match. */
export function normalizeAgent(agent: Agent): Agent {
  return { id: text(agent.id) ?? UNREADABLE_ID, name: text(agent.name), folderId: text(agent.folderId) };
}

/** A folder's name is API text written by whoever can edit the workspace. */
export function normalizeFolder(folder: Folder): Folder {
  return { id: text(folder.id) ?? UNREADABLE_ID, name: text(folder.name) };
}

/** A page of records as handed in, and their numbers. */
interface TakenPage {
  readonly records: readonly NumberRecord[];
  readonly numbers: readonly PhoneNumber[];
}

/**
 * Normalizes records before the run asks for them, for one run: the client hands each page's
 * records to `take` as the page arrives, while later pages are still in flight, and `all` then
 * finds the work done. Records it was not given (a re-list builds new ones) are normalized then.
 * Kept by page, found by the page's first record: a Map entry per record cost more than the work
 * it saved at 100k records.
 */
export class AheadNormalizer {
  private readonly pages = new Map<NumberRecord, TakenPage>();
  /** Every record taken, first taken first; built only if `all` meets records off their pages. */
  private byRecord: Map<NumberRecord, PhoneNumber> | undefined;

  readonly take = (records: readonly NumberRecord[]): void => {
    if (records.length === 0 || this.pages.has(records[0])) return;
    // A copy: the numbers must keep matching the records they came from.
    const page = [...records];
    this.pages.set(page[0], { records: page, numbers: page.map(normalizeNumber) });
    this.byRecord = undefined;
  };

  all(records: readonly NumberRecord[]): PhoneNumber[] {
    if (this.pages.size === 0) return records.map(normalizeNumber);
    const out = new Array<PhoneNumber>(records.length);
    for (let i = 0; i < records.length; ) {
      const page = this.pages.get(records[i]);
      if (page && startsAt(records, i, page.records)) {
        for (let j = 0; j < page.numbers.length; j++) out[i + j] = page.numbers[j];
        i += page.numbers.length;
      } else {
        out[i] = this.one(records[i]);
        i += 1;
      }
    }
    return out;
  }

  private one(record: NumberRecord): PhoneNumber {
    this.byRecord ??= recordMap(this.pages.values());
    return this.byRecord.get(record) ?? normalizeNumber(record);
  }
}

function recordMap(pages: Iterable<TakenPage>): Map<NumberRecord, PhoneNumber> {
  const map = new Map<NumberRecord, PhoneNumber>();
  for (const { records, numbers } of pages) {
    records.forEach((r, j) => {
      if (!map.has(r)) map.set(r, numbers[j]);
    });
  }
  return map;
}

/** Whether `records` holds exactly `page`'s records from `at` on. */
function startsAt(records: readonly NumberRecord[], at: number, page: readonly NumberRecord[]): boolean {
  if (at + page.length > records.length) return false;
  for (let j = 0; j < page.length; j++) if (records[at + j] !== page[j]) return false;
  return true;
}

export function normalizeAll(records: readonly NumberRecord[]): PhoneNumber[] {
  return records.map(normalizeNumber);
}
