// Aggregates normalized numbers into the audit: counts, the country x type matrix, unrouted and
// not-active numbers, and monthly cost. Every map comes out in a deterministic key order so the
// report, the CSV and snapshots never reorder between runs.
import { dict } from './dict';
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
function orderedCounts(counts: Map<string, number>, lastKey: string): Counts {
  const keys = [...counts.keys()].sort(
    (a, b) =>
      (a === lastKey ? 1 : 0) - (b === lastKey ? 1 : 0) ||
      (counts.get(b) ?? 0) - (counts.get(a) ?? 0) ||
      compareStrings(a, b),
  );
  return dict(keys.map((key) => [key, counts.get(key) ?? 0]));
}

function increment(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
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
  const byCountry = new Map<string, number>();
  const byType = new Map<string, number>();
  const byCountryType = new Map<string, Map<string, number>>();
  let total = 0;
  let knownCount = 0;
  const sources: Record<CostSource, number> = { api: 0, 'rate-card': 0, unknown: 0 };
  for (const n of numbers) {
    sources[costSourceOf(n)] += 1;
    if (n.monthlyCostUsd === null) continue;
    const cents = toCents(n.monthlyCostUsd);
    knownCount += 1;
    total += cents;
    increment(byCountry, n.countryCode, cents);
    increment(byType, n.type, cents);
    const row = byCountryType.get(n.countryCode) ?? new Map<string, number>();
    increment(row, n.type, cents);
    byCountryType.set(n.countryCode, row);
  }
  const countries = countryOrder.filter((c) => byCountry.has(c));
  const types = ALL_NUMBER_TYPES.filter((t) => byType.has(t));
  const money = (m: Map<string, number>, keys: readonly string[]): Counts =>
    dict(keys.filter((k) => m.has(k)).map((k) => [k, fromCents(m.get(k) ?? 0)]));
  return {
    currency: 'USD',
    totalMonthly: fromCents(total),
    byCountry: money(byCountry, countries),
    byType: money(byType, types),
    byCountryType: dict(countries.map((c) => [c, money(byCountryType.get(c) ?? new Map(), ALL_NUMBER_TYPES)])),
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
  const countries = new Map<string, number>();
  const statuses = new Map<string, number>();
  const providers = new Map<string, number>();
  const byType = zeroTypes();
  const cells = new Map<string, Record<NumberType, number>>();
  for (const n of numbers) {
    increment(countries, n.countryCode);
    increment(statuses, n.status ?? NO_STATUS);
    increment(providers, n.provider ?? UNKNOWN_PROVIDER);
    byType[n.type] += 1;
    const row = cells.get(n.countryCode) ?? zeroTypes();
    row[n.type] += 1;
    cells.set(n.countryCode, row);
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
