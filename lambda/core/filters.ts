// Filters are checked, not trusted: DialNexa's published contract for the list operation declares
// only `page` and `limit`, so a server may ignore `country_code` and `type` and return everything.
import type { ListFilters, PhoneNumber } from './types';

/** Who applied the run's filters: the API (every record matched), or we did (it ignored them). */
export interface FilterCheck {
  appliedBy: 'api' | 'client';
  /** Numbers the API returned that we left out (0 when the API applied the filters). */
  leftOut: number;
}

/** Only an unfiltered run is compared with, or becomes, the baseline. */
export function isUnfiltered(filters: ListFilters): boolean {
  return !filters.countryCode && !filters.type;
}

function matches(n: PhoneNumber, filters: ListFilters): boolean {
  return (!filters.countryCode || n.countryCode === filters.countryCode) && (!filters.type || n.type === filters.type);
}

/**
 * A value that proves the filter was ignored: a country the API stated or the number itself
 * carries (the numbering plan is reliable for that), or a type the API stated. A type we inferred
 * is no proof: every US/CA number is inferred as local, mobile ones included.
 */
function contradicts(n: PhoneNumber, filters: ListFilters): boolean {
  const country = filters.countryCode && n.countryCode !== 'unknown' && n.countryCode !== filters.countryCode;
  const type = filters.type && n.type !== 'unknown' && !n.typeInferred && n.type !== filters.type;
  return Boolean(country || type);
}

/**
 * Checks every listed number against the filters. One number that contradicts them means the
 * server ignored them: then only the numbers known to match are kept (one of unknown country or
 * type cannot be said to match). Undefined `check` for an unfiltered run.
 */
export function applyFilters(
  numbers: PhoneNumber[],
  filters: ListFilters,
): { numbers: PhoneNumber[]; check?: FilterCheck } {
  if (isUnfiltered(filters)) return { numbers };
  if (!numbers.some((n) => contradicts(n, filters))) return { numbers, check: { appliedBy: 'api', leftOut: 0 } };
  const kept = numbers.filter((n) => matches(n, filters));
  return { numbers: kept, check: { appliedBy: 'client', leftOut: numbers.length - kept.length } };
}
