// sortByCountryThenNumber sorts on numeric keys; whatever the input, its result must be exactly what
// the stable Array.prototype.sort with compareByCountryThenNumber gives (the reference, the listing's
// sort before): the same objects in the same order, ties in input order.
import fc from 'fast-check';
import { compareByCountryThenNumber, type ListedNumber } from '../../lambda/core/audit';
import { numericKey, sortByCountryThenNumber } from '../../lambda/core/number-order';
import { UNKNOWN_COUNTRY } from '../../lambda/core/types';

interface Tagged extends ListedNumber {
  /** The input position, so equal-looking elements stay distinguishable. */
  at: number;
}

function reference<T extends ListedNumber>(xs: readonly T[]): T[] {
  return [...xs].sort(compareByCountryThenNumber);
}

const digits = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });

/** Numbers sharing prefixes and zero tails ("+12", "+120", "+1200"), and some too long for a key. */
const e164 = fc.oneof(
  digits(1, 15).map((d) => `+${d}`),
  fc.tuple(fc.constantFrom('+1', '+12', '+44', '+120'), digits(0, 3)).map(([p, d]) => p + d),
  fc.tuple(fc.constantFrom('+1', '+44'), fc.constantFrom('', '0', '00', '000')).map(([p, z]) => p + z),
  digits(16, 20).map((d) => `+${d}`),
);

/** What is not `+digits`: formatting left in, letters, controls, non-Latin digits, empty, a lone plus. */
const other = fc.oneof(
  fc.constantFrom('', '+', '12', '+1 2', '+12 ', '+12a', '+1-2', '+\u0661\u0662', '++12', ' +12', '+12\u0000', '+١٢'),
  fc.string({ maxLength: 6 }),
  fc.string({ unit: 'binary', maxLength: 4 }).map((s) => `+1${s}`),
);

const listed = fc.record({
  countryCode: fc.constantFrom('US', 'GB', 'FR', UNKNOWN_COUNTRY, 'unknowns', 'A', ''),
  phoneNumber: fc.oneof({ weight: 4, arbitrary: e164 }, { weight: 1, arbitrary: other }),
  id: fc.constantFrom('a', 'b', 'phn_1', ''),
});

const lists = fc
  .array(listed, { maxLength: 60 })
  // Duplicates: the same values again, as distinct objects at other positions.
  .chain((xs) => fc.tuple(fc.constant(xs), fc.array(fc.nat(Math.max(xs.length - 1, 0)), { maxLength: 20 })))
  .map(([xs, again]): Tagged[] =>
    [...xs, ...(xs.length ? again.map((i) => xs[i]) : [])].map((x, at) => ({ ...x, at })),
  );

describe('sortByCountryThenNumber', () => {
  it('gives exactly the stable comparator sort: same objects, same order', () => {
    fc.assert(
      fc.property(lists, (xs) => {
        const sorted = sortByCountryThenNumber(xs, 0);
        const expected = reference(xs);
        expect(sorted.length).toBe(expected.length);
        for (let i = 0; i < sorted.length; i++) expect(sorted[i]).toBe(expected[i]);
      }),
      { numRuns: 500 },
    );
  });

  it('gives the comparator sort for thousands of numbers per country, every radix digit in play', () => {
    const xs = fc.sample(
      fc.record({
        countryCode: fc.constantFrom('US', 'GB', UNKNOWN_COUNTRY),
        phoneNumber: fc.oneof(
          { weight: 20, arbitrary: digits(6, 15).map((d) => `+${d}`) },
          { weight: 1, arbitrary: other },
        ),
        id: fc.constantFrom('a', 'b'),
      }),
      { numRuns: 20_000, seed: 42 },
    );
    const sorted = sortByCountryThenNumber(xs, 0);
    const expected = reference(xs);
    expect(sorted.every((x, i) => x === expected[i])).toBe(true);
    expect(sorted.length).toBe(xs.length);
  });

  it('keeps ties (same country, number and id) in input order', () => {
    const xs: Tagged[] = [3, 1, 2].flatMap((n, i) => [
      { countryCode: 'US', phoneNumber: '+1200', id: 'a', at: 2 * i },
      { countryCode: 'US', phoneNumber: '+12', id: `${n}`, at: 2 * i + 1 },
    ]);
    expect(sortByCountryThenNumber(xs, 0).map((x) => x.at)).toEqual([3, 5, 1, 0, 2, 4]);
  });

  it('puts a prefix before its longer number, and formatted values where the string order puts them', () => {
    const xs = ['+120', '+12 ', '+12', '+1200', '+12a', '+119999999999999'].map((phoneNumber, at) => ({
      countryCode: 'GB',
      phoneNumber,
      id: 'x',
      at,
    }));
    expect(sortByCountryThenNumber(xs, 0).map((x) => x.phoneNumber)).toEqual([
      '+119999999999999',
      '+12',
      '+12 ',
      '+120',
      '+1200',
      '+12a',
    ]);
  });

  it('returns a new array and leaves its input as it was', () => {
    const xs = [
      { countryCode: 'US', phoneNumber: '+2', id: 'a' },
      { countryCode: 'US', phoneNumber: '+1', id: 'a' },
    ];
    const before = [...xs];
    expect(sortByCountryThenNumber(xs, 0)).not.toBe(xs);
    expect(xs).toEqual(before);
  });
});

describe('numericKey', () => {
  it('never orders two `+digits` values against their string order', () => {
    fc.assert(
      fc.property(e164, e164, (a, b) => {
        const [ka, kb] = [numericKey(a), numericKey(b)];
        if (ka < 0 || kb < 0) return;
        if (a < b) expect(ka).toBeLessThanOrEqual(kb);
        if (ka < kb) expect(a < b).toBe(true);
      }),
    );
  });

  it('keys only `+` and 1 to 15 ASCII digits', () => {
    expect(numericKey('+1')).toBe(1e14);
    expect(numericKey('+999999999999999')).toBe(999_999_999_999_999);
    for (const v of ['', '+', '1', '+1 ', '+1234567890123456', '+\u0661', '+1a', '-1', '+1.5']) {
      expect(numericKey(v)).toBe(-1);
    }
  });
});
