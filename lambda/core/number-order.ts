// The order of compareByCountryThenNumber, computed without a string comparison per pair: at 100k
// numbers comparing phone-number strings was most of the listing's sort. The result is what the
// stable Array.prototype.sort with compareByCountryThenNumber gives, the same objects in the same order.
import { compareByCountryThenNumber, compareCountryCodes, type ListedNumber } from './audit';

/** E.164's most digits: a key of 15 decimal digits is below 2^53, so a double holds it exactly. */
const KEY_DIGITS = 15;
const PLUS = 0x2b;
const ZERO = 0x30;
const NINE = 0x39;

/**
 * `+digits` (1 to 15 digits) as its digits right-padded with zeros to 15; -1 for anything else.
 * Padding keeps string order: a < b gives key(a) <= key(b), equal only when one is a prefix of
 * the other plus zeros ("+12", "+120"), which the full comparator then decides.
 */
export function numericKey(phoneNumber: string): number {
  const length = phoneNumber.length;
  if (length < 2 || length > KEY_DIGITS + 1 || phoneNumber.charCodeAt(0) !== PLUS) return -1;
  let key = 0;
  for (let i = 1; i < length; i++) {
    const c = phoneNumber.charCodeAt(i);
    if (c < ZERO || c > NINE) return -1;
    key = key * 10 + (c - ZERO);
  }
  for (let i = length - 1; i < KEY_DIGITS; i++) key *= 10;
  return key;
}

/** A new array of `xs` in compareByCountryThenNumber order; ties keep their input order. */
export function sortByCountryThenNumber<T extends ListedNumber>(xs: readonly T[]): T[] {
  const buckets = new Map<string, T[]>();
  for (const x of xs) {
    const bucket = buckets.get(x.countryCode);
    if (bucket) bucket.push(x);
    else buckets.set(x.countryCode, [x]);
  }
  // compareCountryCodes is 0 only for equal strings: one bucket per country is one run of the order.
  const countries = [...buckets.keys()].sort(compareCountryCodes);
  const sorted: T[] = [];
  for (const country of countries) {
    for (const x of sortOneCountry(buckets.get(country) ?? [])) sorted.push(x);
  }
  return sorted;
}

/** One country's numbers: the `+digits` ones by key, the rest by the comparator, then merged. */
function sortOneCountry<T extends ListedNumber>(xs: readonly T[]): T[] {
  const keys = new Float64Array(xs.length);
  const keyed: T[] = [];
  const other: T[] = [];
  for (const x of xs) {
    const key = numericKey(x.phoneNumber);
    if (key < 0) other.push(x);
    else {
      keys[keyed.length] = key;
      keyed.push(x);
    }
  }
  const byKey = sortByKey(keyed, keys.subarray(0, keyed.length));
  if (other.length === 0) return byKey;
  return merge(byKey, other.sort(compareByCountryThenNumber));
}

/**
 * `xs` ordered by `keys` (native numeric sort), equal keys in input order, each run of equal keys
 * then sorted by the comparator: a stable sort of the whole by the comparator gives the same.
 */
function sortByKey<T extends ListedNumber>(xs: readonly T[], keys: Float64Array): T[] {
  const n = xs.length;
  const sortedKeys = keys.slice().sort();
  // Each input goes to the first free slot of its key's run, found by binary search: input order within a run.
  const used = new Uint32Array(n);
  const out = new Array<T>(n);
  for (let i = 0; i < n; i++) {
    const start = lowerBound(sortedKeys, keys[i]);
    out[start + used[start]] = xs[i];
    used[start] += 1;
  }
  for (let start = 0; start < n; ) {
    const end = start + Math.max(used[start], 1);
    if (end - start > 1) {
      const run = out.slice(start, end).sort(compareByCountryThenNumber);
      for (let i = 0; i < run.length; i++) out[start + i] = run[i];
    }
    start = end;
  }
  return out;
}

function lowerBound(sorted: Float64Array, key: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid] < key) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Two sorted lists into one; no element of one compares equal to one of the other (their phone numbers differ). */
function merge<T extends ListedNumber>(a: readonly T[], b: readonly T[]): T[] {
  const out: T[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (compareByCountryThenNumber(b[j], a[i]) < 0) out.push(b[j++]);
    else out.push(a[i++]);
  }
  while (i < a.length) out.push(a[i++]);
  while (j < b.length) out.push(b[j++]);
  return out;
}
