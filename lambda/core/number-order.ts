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

/**
 * Below this many numbers the comparator sort is the quicker one: the radix code runs once per
 * process, unoptimized (a CLI run of 20k numbers: ~17 ms against ~11 ms; at 100k, ~25 against ~60).
 */
export const RADIX_FROM = 32_768;

/** A new array of `xs` in compareByCountryThenNumber order; ties keep their input order. */
export function sortByCountryThenNumber<T extends ListedNumber>(xs: readonly T[], radixFrom = RADIX_FROM): T[] {
  if (xs.length < radixFrom) return [...xs].sort(compareByCountryThenNumber);
  // Keys read in input order: the records lie in memory roughly in that order, reading them by
  // country instead stalled on cache misses for a third of the sort's time.
  const keyOf = new Float64Array(xs.length);
  for (let i = 0; i < xs.length; i++) keyOf[i] = numericKey(xs[i].phoneNumber);
  const { order, starts } = groupByCountry(xs);
  const keys = new Float64Array(xs.length);
  const sorted = new Array<T>(xs.length);
  for (let c = 0; c + 1 < starts.length; c++) {
    sortOneCountry(xs, { keyOf, order, keys, sorted }, starts[c], starts[c + 1]);
  }
  return sorted;
}

/**
 * Indices of `xs` grouped by country in compareCountryCodes order, input order within a country
 * (a counting sort), and where each country starts. compareCountryCodes is 0 only for equal
 * strings, so one group per distinct code is one run of the order.
 */
function groupByCountry(xs: readonly ListedNumber[]): { order: Uint32Array; starts: Uint32Array } {
  const ids = new Map<string, number>();
  const counts: number[] = [];
  const idOf = new Uint32Array(xs.length);
  for (let i = 0; i < xs.length; i++) {
    let id = ids.get(xs[i].countryCode);
    if (id === undefined) {
      id = counts.length;
      ids.set(xs[i].countryCode, id);
      counts.push(0);
    }
    idOf[i] = id;
    counts[id] += 1;
  }
  const countries = [...ids.keys()].sort(compareCountryCodes);
  const next: number[] = new Array(counts.length);
  const starts = new Uint32Array(countries.length + 1);
  let at = 0;
  countries.forEach((country, rank) => {
    const id = ids.get(country) ?? 0;
    starts[rank] = at;
    next[id] = at;
    at += counts[id];
  });
  starts[countries.length] = at;
  const order = new Uint32Array(xs.length);
  for (let i = 0; i < xs.length; i++) order[next[idOf[i]]++] = i;
  return { order, starts };
}

interface Work<T> {
  /** numericKey of xs[i]. */
  readonly keyOf: Float64Array;
  /** Indices into `xs`, grouped by country. */
  readonly order: Uint32Array;
  readonly keys: Float64Array;
  readonly sorted: T[];
}

/** One country's numbers into sorted[start, end): the `+digits` ones by key, the rest by the comparator, merged. */
function sortOneCountry<T extends ListedNumber>(xs: readonly T[], work: Work<T>, start: number, end: number): void {
  const { keyOf, order, keys, sorted } = work;
  // The keyed ones move to the front of the country's range, in input order (never past where they were read).
  let keyed = start;
  const other: T[] = [];
  for (let p = start; p < end; p++) {
    const key = keyOf[order[p]];
    if (key < 0) other.push(xs[order[p]]);
    else {
      order[keyed] = order[p];
      keys[keyed] = key;
      keyed += 1;
    }
  }
  placeByKey(xs, work, start, keyed);
  if (other.length === 0) return;
  const byKey = sorted.slice(start, keyed);
  merge(byKey, other.sort(compareByCountryThenNumber), sorted, start);
}

/** Radix digits: four passes of 13 bits cover a key's 50 bits (10^15 < 2^50), split as 26 + 24 bits. */
const DIGIT_BITS = 13;
const DIGIT_MASK = (1 << DIGIT_BITS) - 1;
const LOW_PART = 2 ** 26;

/**
 * order[start, end) into sorted[start, end) by `keys`, equal keys in input order (a stable LSD
 * radix sort of positions), each run of equal keys then sorted by the comparator: what a stable
 * comparator sort gives.
 */
function placeByKey<T extends ListedNumber>(xs: readonly T[], work: Work<T>, start: number, end: number): void {
  const { order, keys, sorted } = work;
  const size = end - start;
  const low = new Uint32Array(size);
  const high = new Uint32Array(size);
  for (let q = 0; q < size; q++) {
    const key = keys[start + q];
    low[q] = key % LOW_PART;
    high[q] = (key - low[q]) / LOW_PART;
  }
  let positions = new Uint32Array(size);
  for (let q = 0; q < size; q++) positions[q] = q;
  let spare = new Uint32Array(size);
  const counts = new Uint32Array(DIGIT_MASK + 1);
  for (const [part, shift] of [
    [low, 0],
    [low, DIGIT_BITS],
    [high, 0],
    [high, DIGIT_BITS],
  ] as const) {
    if (radixPass(part, shift, { from: positions, to: spare, counts })) [positions, spare] = [spare, positions];
  }
  for (let q = 0; q < size; q++) sorted[start + q] = xs[order[start + positions[q]]];
  sortTies(keys, positions, sorted, start);
}

/** Runs of equal keys (prefix ties, duplicates) in sorted[start, ...), each sorted by the comparator. */
function sortTies<T extends ListedNumber>(keys: Float64Array, positions: Uint32Array, sorted: T[], start: number) {
  for (let first = 0; first < positions.length; ) {
    const key = keys[start + positions[first]];
    let end = first + 1;
    while (end < positions.length && keys[start + positions[end]] === key) end += 1;
    if (end - first > 1) {
      const tied = sorted.slice(start + first, start + end).sort(compareByCountryThenNumber);
      for (let i = 0; i < tied.length; i++) sorted[start + first + i] = tied[i];
    }
    first = end;
  }
}

/** One stable counting pass on a 13-bit digit, `from` into `to`; false (nothing moved) when every digit is the same. */
function radixPass(
  part: Uint32Array,
  shift: number,
  { from, to, counts }: { from: Uint32Array; to: Uint32Array; counts: Uint32Array },
): boolean {
  counts.fill(0);
  for (let q = 0; q < from.length; q++) counts[(part[from[q]] >>> shift) & DIGIT_MASK] += 1;
  let at = 0;
  for (let d = 0; d <= DIGIT_MASK; d++) {
    const count = counts[d];
    if (count === from.length) return false;
    counts[d] = at;
    at += count;
  }
  for (let q = 0; q < from.length; q++) {
    const digit = (part[from[q]] >>> shift) & DIGIT_MASK;
    to[counts[digit]] = from[q];
    counts[digit] += 1;
  }
  return true;
}

/** Two sorted lists into out from `at`; no element of one compares equal to one of the other (their phone numbers differ). */
function merge<T extends ListedNumber>(a: readonly T[], b: readonly T[], out: T[], at: number): void {
  let i = 0;
  let j = 0;
  let k = at;
  while (i < a.length && j < b.length) out[k++] = compareByCountryThenNumber(b[j], a[i]) < 0 ? b[j++] : a[i++];
  while (i < a.length) out[k++] = a[i++];
  while (j < b.length) out[k++] = b[j++];
}
