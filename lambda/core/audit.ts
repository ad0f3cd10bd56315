// Aggregates normalized numbers into the audit: counts, the country x type matrix, unrouted and
// not-active numbers, and monthly cost. Every map comes out in a deterministic key order so the
// report, the CSV and snapshots never reorder between runs.
import { dict, entryOf } from './dict';
import { Sums } from './sums';
import {
  ALL_NUMBER_TYPES,
  UNKNOWN_COUNTRY,
  type AuditResult,
  type Counts,
  type CostSource,
  type CostSummary,
  type NumberType,
  type PhoneNumber,
} from './types';

/** byStatus key for numbers whose status the API did not give (they still count as unrouted candidates). */
export const NO_STATUS = 'none';
/** byProvider key for numbers without a provider. */
export const UNKNOWN_PROVIDER = 'unknown';

/** The three fields every listed number carries, whatever its shape (audit, snapshot, change). */
export type ListedNumber = Pick<PhoneNumber, 'countryCode' | 'phoneNumber' | 'id'>;

/**
 * The one order of every list of numbers (audit, snapshot, changes, CSV): country code ascending
 * with `unknown` last, then phone number, then id (a stable total order).
 */
export function compareByCountryThenNumber(a: ListedNumber, b: ListedNumber): number {
  return (
    compareCountryCodes(a.countryCode, b.countryCode) ||
    compareStrings(a.phoneNumber, b.phoneNumber) ||
    compareStrings(a.id, b.id)
  );
}

/** Country codes ascending, `unknown` last. */
export function compareCountryCodes(a: string, b: string): number {
  return compareKeys(a, b, UNKNOWN_COUNTRY);
}

/** Plain code-unit order: locale-independent, so output never depends on the runtime's ICU. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareKeys(a: string, b: string, lastKey: string): number {
  if (a === b) return 0;
  if (a === lastKey) return 1;
  if (b === lastKey) return -1;
  return compareStrings(a, b);
}

/** Keys by count descending, then key; `lastKey` always last. */
function orderedCounts(counts: Sums<string>, lastKey: string): Counts {
  const keys = counts
    .keys()
    .sort(
      (a, b) =>
        (a === lastKey ? 1 : 0) - (b === lastKey ? 1 : 0) || counts.get(b) - counts.get(a) || compareStrings(a, b),
    );
  return dict(keys.map((key) => [key, counts.get(key)]));
}

function zeroTypes(): Record<NumberType, number> {
  return Object.fromEntries(ALL_NUMBER_TYPES.map((t) => [t, 0])) as Record<NumberType, number>;
}

/**
 * Whole cents, rounded half up from the decimal the cost was written as. Summing integers keeps
 * totals exact (0.10 + 0.20 is 30 cents, not 0.30000000000000004) and makes every sub-total add
 * up to the grand total. `toFixed(6)` recovers the written decimal (1.005 -> "1.005000") where
 * `x * 100` would not (100.49999...).
 */
export function toCents(usd: number): number {
  return wholeCents(usd) ?? centsFromDecimal(usd);
}

/**
 * The cents of a cost written in whole cents (the common case), else null: its written decimal is
 * that integer exactly (within 1e-6 of it, below 1e6, the 6-digit decimal has nothing past the cents).
 */
export function wholeCents(usd: number): number | null {
  const scaled = usd * 100;
  const whole = Math.round(scaled);
  return usd >= 0 && usd < FAST_CENTS_BELOW && Math.abs(scaled - whole) < 1e-6 ? whole : null;
}

/** Costs below this can be whole cents (wholeCents); at this size a float still resolves 1e-8. */
const FAST_CENTS_BELOW = 1e6;

/** The definition toCents follows: half up from the 6-digit decimal `toFixed` writes. */
export function centsFromDecimal(usd: number): number {
  const [whole, fraction = ''] = usd.toFixed(6).split('.');
  const digits = fraction.padEnd(3, '0');
  return Number(whole) * 100 + Number(digits.slice(0, 2)) + (Number(digits[2]) >= 5 ? 1 : 0);
}

function fromCents(cents: number): number {
  return cents / 100;
}

/**
 * Cost maps list only countries/types with at least one known cost: a 0 there means "known to
 * cost nothing", never "not known". Country order follows the count order of `byCountry`.
 */
function costSummary(numbers: readonly PhoneNumber[], countryOrder: readonly string[]): CostSummary {
  const byCountry = new Sums<string>();
  const byType = new Sums<string>();
  const byCountryType = new Map<string, Sums<string>>();
  let row: { country: string; sums: Sums<string> } | undefined;
  let total = 0;
  let knownCount = 0;
  const sources: Record<CostSource, number> = { api: 0, 'rate-card': 0, unknown: 0 };
  for (const n of numbers) {
    sources[costSourceOf(n)] += 1;
    if (n.monthlyCostUsd === null) continue;
    const cents = toCents(n.monthlyCostUsd);
    knownCount += 1;
    total += cents;
    byCountry.add(n.countryCode, cents);
    byType.add(n.type, cents);
    if (row === undefined || row.country !== n.countryCode)
      row = { country: n.countryCode, sums: entryOf(byCountryType, n.countryCode, () => new Sums<string>()) };
    row.sums.add(n.type, cents);
  }
  const countries = countryOrder.filter((c) => byCountry.has(c));
  const types = ALL_NUMBER_TYPES.filter((t) => byType.has(t));
  const money = (m: Sums<string>, keys: readonly string[]): Counts =>
    dict(keys.filter((k) => m.has(k)).map((k) => [k, fromCents(m.get(k))]));
  return {
    currency: 'USD',
    totalMonthly: fromCents(total),
    byCountry: money(byCountry, countries),
    byType: money(byType, types),
    byCountryType: dict(countries.map((c) => [c, money(byCountryType.get(c) ?? new Sums(), ALL_NUMBER_TYPES)])),
    knownCount,
    unknownCount: numbers.length - knownCount,
    sources,
  };
}

/**
 * The source as the cost itself confirms it, so source counts always add up to knownCount +
 * unknownCount even for a hand-built number whose label disagrees with its cost.
 */
export function costSourceOf(n: Pick<PhoneNumber, 'monthlyCostUsd' | 'costSource'>): CostSource {
  if (n.monthlyCostUsd === null) return 'unknown';
  return n.costSource === 'unknown' ? 'api' : n.costSource;
}

/** Active (or status-less) and no inbound agent: an inbound call to it is rejected. */
export function isUnrouted(n: Pick<PhoneNumber, 'status' | 'inboundAgentId'>): boolean {
  return (n.status === 'active' || n.status === null) && n.inboundAgentId === null;
}

export function isNotActive(n: PhoneNumber): boolean {
  return n.status !== null && n.status !== 'active';
}

export function auditNumbers(numbers: readonly PhoneNumber[]): AuditResult {
  const countries = new Sums<string>();
  const statuses = new Sums<string>();
  const providers = new Sums<string>();
  const byType = zeroTypes();
  const cells = new Map<string, Record<NumberType, number>>();
  let row: { country: string; cells: Record<NumberType, number> } | undefined;
  for (const n of numbers) {
    countries.add(n.countryCode);
    statuses.add(n.status ?? NO_STATUS);
    providers.add(n.provider ?? UNKNOWN_PROVIDER);
    byType[n.type] += 1;
    // Numbers come sorted by country: the row changes once per country, not per number.
    if (row === undefined || row.country !== n.countryCode)
      row = { country: n.countryCode, cells: entryOf(cells, n.countryCode, zeroTypes) };
    row.cells[n.type] += 1;
  }
  const byCountry = orderedCounts(countries, UNKNOWN_COUNTRY);
  const countryOrder = Object.keys(byCountry);
  return {
    total: numbers.length,
    byCountry,
    byType,
    byCountryType: dict(countryOrder.map((c) => [c, cells.get(c) ?? zeroTypes()])),
    byStatus: orderedCounts(statuses, NO_STATUS),
    byProvider: orderedCounts(providers, UNKNOWN_PROVIDER),
    unrouted: numbers.filter(isUnrouted).sort(compareByCountryThenNumber),
    notActive: numbers.filter(isNotActive).sort(compareByCountryThenNumber),
    cost: costSummary(numbers, countryOrder),
  };
}
