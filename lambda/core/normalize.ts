// Turns validated API records into the audit's PhoneNumber: one country, one canonical type, one
// effective status, one agent id. Pure: the numbering-plan metadata is the only input besides the record.
import { apiText, boundedApiText, cleanApiText, UNREADABLE_ID } from './api-text';
import { type PlanFacts, planFacts } from './numbering-plan';
import {
  UNKNOWN_COUNTRY,
  type Agent,
  type Folder,
  type KnownNumberType,
  type NumberRecord,
  type NumberType,
  type PhoneNumber,
  type UntruncatedText,
  type ValueSource,
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
  let digits = raw.trim().replace(/[\s\-.()/]/g, '');
  if (digits.startsWith('00')) digits = `+${digits.slice(2)}`;
  return digits.startsWith('+') ? digits : `+${digits}`;
}

function country(
  record: NumberRecord,
  parsedOf: () => PlanFacts | undefined,
): { countryCode: string; countrySource: ValueSource } {
  const given = text(record.country_code)?.toUpperCase();
  if (given && /^[A-Z]{2}$/.test(given)) return { countryCode: given, countrySource: 'api' };
  const parsed = parsedOf();
  const derived = parsed?.country;
  if (derived) {
    const grouped = parsed.countryCallingCode === '44' && CROWN_DEPENDENCIES.has(derived) ? 'GB' : derived;
    return { countryCode: grouped, countrySource: 'derived' };
  }
  return { countryCode: UNKNOWN_COUNTRY, countrySource: 'unknown' };
}

/** Canonical type for an API spelling; null when the spelling is absent or not recognised. */
export function canonicalType(spelling: string | null | undefined): KnownNumberType | null {
  const key = text(spelling)?.toLowerCase();
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

function numberType(
  record: NumberRecord,
  parsedOf: () => PlanFacts | undefined,
): { type: NumberType; typeInferred: boolean } {
  const given = canonicalType(record.type);
  if (given) return { type: given, typeInferred: false };
  const inferred = inferType(parsedOf());
  return inferred ? { type: inferred, typeInferred: true } : { type: 'unknown', typeInferred: false };
}

/**
 * A rental that is not active (e.g. `expired`) overrides `status`. A lone `rental_status: active`
 * still counts as the API saying "active", so status stays null only when the API said nothing.
 */
function effectiveStatus(record: NumberRecord): string | null {
  const rental = cleanApiText(record.rental_status)?.toLowerCase() ?? null;
  if (rental && rental !== 'active') return rental;
  return cleanApiText(record.status)?.toLowerCase() ?? rental;
}

/**
 * Nickname (else label), provider and status, bounded for display. The full values of the ones
 * that were cut ride along in `untruncated`, for the CSV while the message still fits.
 */
function freeText(record: NumberRecord): Pick<PhoneNumber, 'nickname' | 'provider' | 'status' | 'untruncated'> {
  const nickname = boundedApiText(cleanApiText(record.nickname) ?? record.label);
  const provider = boundedApiText(record.provider);
  const status = boundedApiText(effectiveStatus(record));
  let untruncated: UntruncatedText | undefined;
  if (nickname.full) untruncated = { nickname: nickname.full };
  if (provider.full) untruncated = { ...untruncated, provider: provider.full };
  if (status.full) untruncated = { ...untruncated, status: status.full };
  return { status: status.text, nickname: nickname.text, provider: provider.text, untruncated };
}

/** Monthly cost in USD, or null when absent, unparseable, negative or not finite. */
export function parseCost(value: string | number | null | undefined): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : null;
  if (typeof value === 'string' && COST_PATTERN.test(value)) {
    const parsed = Number(value.trim());
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
  // The numbering plan is most of normalize's time; only a record missing its country or type asks it.
  let parsed: PlanFacts | undefined | null = null;
  const parsedOf = () => {
    if (parsed === null) parsed = factsOf(phoneNumber);
    return parsed;
  };
  const monthlyCostUsd = parseCost(record.monthly_cost_usd);
  const { countryCode, countrySource } = country(record, parsedOf);
  const { type, typeInferred } = numberType(record, parsedOf);
  const { status, nickname, provider, untruncated } = freeText(record);
  // One literal, no spreads (a third of normalize's own time at 100k records); the keys keep
  // their order, which the JSON outputs show.
  const n: PhoneNumber = {
    // Ids reach the CSV and the changes lists: cleaned and bounded like any API text.
    id: text(record.id) ?? UNREADABLE_ID,
    phoneNumber,
    countryCode,
    countrySource,
    type,
    typeInferred,
    inboundAgentId: text(record.inbound_agent_id) ?? text(record.agent_id),
    createdAt: text(record.created_at),
    monthlyCostUsd,
    costSource: monthlyCostUsd === null ? 'unknown' : 'api',
    status,
    nickname,
    provider,
  };
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

/**
 * Normalizes records before the run asks for them, for one run: the client hands each page's
 * records to `take` as the page arrives, while later pages are still in flight, and `all` then
 * finds the work done. Records it was not given (a re-list builds new ones) are normalized then.
 */
export class AheadNormalizer {
  private readonly done = new Map<NumberRecord, PhoneNumber>();

  readonly take = (records: readonly NumberRecord[]): void => {
    for (const record of records) if (!this.done.has(record)) this.done.set(record, normalizeNumber(record));
  };

  all(records: readonly NumberRecord[]): PhoneNumber[] {
    return records.map((record) => this.done.get(record) ?? normalizeNumber(record));
  }
}

export function normalizeAll(records: readonly NumberRecord[]): PhoneNumber[] {
  return records.map(normalizeNumber);
}
